// The normal equations of a Levenberg-Marquardt step (alpha = J^T W J, beta = J^T W (y - m), chi2), the inner loop of
// every quasar line fit: lib/quasar/fit/least-squares.ts does the same in JavaScript when this addon is not built.
//
// Why native: measured, this one loop was a sixth of the quasar features' time in JavaScript (~50 ns per point for a
// handful of sparse Jacobian columns); compiled it is several times faster. The arithmetic is the JavaScript's, term
// for term and in the same order, and the build turns off fused multiply-adds (-ffp-contract=off), so both give the
// same bits: results never depend on whether the addon was built. Built by scripts/build-native.ts.
#include <node_api.h>

#include <stdint.h>

#include <vector>

namespace {

bool Float64Array(napi_env env, napi_value value, double** data, size_t* length) {
  napi_typedarray_type type;
  void* raw = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, &buffer, &offset) != napi_ok) return false;
  if (type != napi_float64_array) return false;
  *data = static_cast<double*>(raw);  // Node-API's pointer already starts at the view's first element
  return true;
}

// normal(y, w, m, jac, np, alpha, beta) -> chi2. Rows of the Jacobian are sparse (a narrow line touches a few points):
// each row's non-zero columns are gathered first and only their pairs summed; alpha is filled whole (upper triangle
// summed, then mirrored), beta too.
napi_value Normal(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  double *y, *w, *m, *jac, *alpha, *beta;
  size_t ny, nw, nm, nj, na, nb;
  int32_t np = 0;
  if (argc < 7 || !Float64Array(env, argv[0], &y, &ny) || !Float64Array(env, argv[1], &w, &nw) ||
      !Float64Array(env, argv[2], &m, &nm) || !Float64Array(env, argv[3], &jac, &nj) ||
      napi_get_value_int32(env, argv[4], &np) != napi_ok || !Float64Array(env, argv[5], &alpha, &na) ||
      !Float64Array(env, argv[6], &beta, &nb)) {
    napi_throw_type_error(env, nullptr, "normal(y, w, m, jac, np, alpha, beta): Float64Arrays and an integer expected");
    return nullptr;
  }
  const size_t p = static_cast<size_t>(np);
  if (np <= 0 || ny < nm || nw < nm || nj < nm * p || na < p * p || nb < p) {
    napi_throw_range_error(env, nullptr, "normal: arrays too short for the points and parameters given");
    return nullptr;
  }
  for (size_t k = 0; k < p * p; k++) alpha[k] = 0;
  for (size_t k = 0; k < p; k++) beta[k] = 0;
  std::vector<size_t> nz(p);
  std::vector<double> value(p);
  double chi2 = 0;
  for (size_t i = 0; i < nm; i++) {
    const double wi = w[i];
    const double r = y[i] - m[i];
    chi2 += wi * r * r;
    if (wi == 0) continue;
    const double* row = jac + i * p;
    size_t count = 0;
    for (size_t a = 0; a < p; a++) {
      const double v = row[a];
      if (v != 0) {
        nz[count] = a;
        value[count++] = v;
      }
    }
    for (size_t ka = 0; ka < count; ka++) {
      const size_t a = nz[ka];
      const double wja = wi * value[ka];
      beta[a] += wja * r;
      double* base = alpha + a * p;
      for (size_t kb = ka; kb < count; kb++) base[nz[kb]] += wja * value[kb];
    }
  }
  for (size_t a = 0; a < p; a++)
    for (size_t b = 0; b < a; b++) alpha[a * p + b] = alpha[b * p + a];
  napi_value out;
  napi_create_double(env, chi2, &out);
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "normal", NAPI_AUTO_LENGTH, Normal, nullptr, &fn);
  napi_set_named_property(env, exports, "normal", fn);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
