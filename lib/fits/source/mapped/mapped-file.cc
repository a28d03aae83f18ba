// skybook's one native piece: copies out of local FITS files that JavaScript cannot make fast on its own: fields of
// rows through a read-only memory map (one column of a wide table), and byte ranges read and byte-swapped by native
// threads (rows of spectra images) into fresh kernel memory.
//
// Why: astropy reads one column of a big table through a memory map, touching only the cache lines that column lives
// in; positional reads must copy every byte of every row. Node has no mmap, so this small Node-API addon maps the file
// and copies what is asked for (fields of rows, or byte ranges) into arrays JavaScript owns. JavaScript never sees the
// mapping itself: a file truncated while mapped makes the next access raise SIGBUS, which would kill the process if it
// happened in JavaScript. Every access to the mapping happens here, inside a guard that turns a SIGBUS on the mapped
// range into a short count (how many rows were copied before it), so the reader reports the truncated row like any
// other short read. Built by scripts/build-native.ts with the system's g++ and Node headers; when it is not built,
// lib/fits reads with positional reads as before (native.ts).
#include <node_api.h>

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace {

// The first `length` bytes of a file, mapped read-only.
struct Mapping {
  uint8_t* base = nullptr;  // null once unmapped
  size_t length = 0;
  int fd = -1;  // the file, open for as long as the mapping is used
};

// --- the SIGBUS guard -------------------------------------------------------------------------------------------------

// initial-exec: the signal handler reads these on any thread, and the default model for a dlopen'd library may
// allocate a thread's copy on first use, which is not safe inside a signal handler.
#define GUARD_TLS thread_local __attribute__((tls_model("initial-exec")))
GUARD_TLS sigjmp_buf* guard_jump = nullptr;
GUARD_TLS const uint8_t* guard_lo = nullptr;
GUARD_TLS const uint8_t* guard_hi = nullptr;
struct sigaction previous_bus;
std::once_flag handler_installed;

void on_sigbus(int sig, siginfo_t* info, void* context) {
  const uint8_t* at = static_cast<const uint8_t*>(info->si_addr);
  if (guard_jump != nullptr && at >= guard_lo && at < guard_hi) siglongjmp(*guard_jump, 1);
  // Not a fault in a guarded copy: behave as if this handler were not here.
  if (previous_bus.sa_flags & SA_SIGINFO) {
    previous_bus.sa_sigaction(sig, info, context);
  } else if (previous_bus.sa_handler != SIG_DFL && previous_bus.sa_handler != SIG_IGN) {
    previous_bus.sa_handler(sig);
  } else {
    // Returning re-runs the faulting access, which now meets the default action.
    signal(SIGBUS, SIG_DFL);
  }
}

void install_handler() {
  std::call_once(handler_installed, [] {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous_bus);
  });
}

// Runs `work` with SIGBUS on [lo, hi) turned into a `false` return. `work` must only read the mapping and write memory
// it owns (no locks, no allocation), so jumping out of it leaves nothing half-held.
template <class Work>
bool guarded(const uint8_t* lo, const uint8_t* hi, Work&& work) {
  sigjmp_buf jump;
  if (sigsetjmp(jump, 1) != 0) {
    guard_jump = nullptr;
    return false;
  }
  guard_lo = lo;
  guard_hi = hi;
  guard_jump = &jump;
  work();
  guard_jump = nullptr;
  return true;
}

// --- Node-API plumbing ------------------------------------------------------------------------------------------------

#define CHECK(call)                                                         \
  do {                                                                      \
    if ((call) != napi_ok) {                                                \
      napi_throw_error(env, nullptr, "skybook-mapped: " #call " failed");   \
      return nullptr;                                                       \
    }                                                                       \
  } while (0)

napi_value throw_error(napi_env env, const char* message) {
  napi_throw_error(env, nullptr, message);
  return nullptr;
}

bool get_size(napi_env env, napi_value v, size_t* out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<uint64_t>(d))) return false;
  *out = static_cast<size_t>(d);
  return true;
}

void finalize_mapping(napi_env, void* data, void*) {
  Mapping* m = static_cast<Mapping*>(data);
  if (m->base != nullptr) munmap(m->base, m->length);
  delete m;
}

// The data of a call's one argument, an external made by this addon (a mapping, a gather); null if it is not one.
void* external_arg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void* data = nullptr;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok) return nullptr;
  return data;
}

Mapping* get_mapping(napi_env env, napi_value v) {
  void* data = nullptr;
  if (napi_get_value_external(env, v, &data) != napi_ok || data == nullptr) return nullptr;
  Mapping* m = static_cast<Mapping*>(data);
  return m->base == nullptr ? nullptr : m;
}

bool get_bytes(napi_env env, napi_value v, uint8_t** data, size_t* length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset, count;
  void* raw;
  if (napi_get_typedarray_info(env, v, &type, &count, &raw, &buffer, &offset) != napi_ok || type != napi_uint8_array) return false;
  *data = static_cast<uint8_t*>(raw);
  *length = count;
  return true;
}

// map(fd, length) -> mapping | null: the file's first `length` bytes. null when the file is now shorter (the caller's
// positional reads then report the short read) or when the kernel refuses the map (a file system without mmap).
napi_value Map(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int32_t fd;
  size_t length;
  if (argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || !get_size(env, argv[1], &length) || length == 0) {
    return throw_error(env, "skybook-mapped: map(fd, length) wants a descriptor and a non-empty length");
  }
  napi_value result;
  struct stat st;
  void* base = MAP_FAILED;
  if (fstat(fd, &st) == 0 && static_cast<uint64_t>(st.st_size) >= length) base = mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) {
    CHECK(napi_get_null(env, &result));
    return result;
  }
  Mapping* m = new Mapping;
  m->base = static_cast<uint8_t*>(base);
  m->length = length;
  m->fd = fd;
  install_handler();
  CHECK(napi_create_external(env, m, finalize_mapping, nullptr, &result));
  return result;
}

// unmap(mapping): releases it now instead of at garbage collection; later use throws.
napi_value Unmap(napi_env env, napi_callback_info info) {
  Mapping* m = static_cast<Mapping*>(external_arg(env, info));
  if (m == nullptr) return throw_error(env, "skybook-mapped: unmap wants a mapping");
  if (m->base != nullptr) munmap(m->base, m->length);
  m->base = nullptr;
  return nullptr;
}

// Copies fields of `rows` rows, row r at `at + r * rowBytes` of the mapping, field k at `fields[2k]` within the row and
// `fields[2k+1]` bytes wide, into `dest` as packed rows (the fields side by side, in the order given). Rows are split
// over `threads` threads. Returns how many leading rows were copied whole: fewer than `rows` only if the file shrank.
struct FieldCopy {
  const uint8_t* src;
  size_t row_bytes;
  uint8_t* dest;
  size_t dest_row_bytes;
  const int32_t* fields;
  size_t nfields;
};

// Copies rows [from, to); returns the first row not copied whole (== to on success).
size_t copy_fields(const FieldCopy& c, const Mapping& m, size_t from, size_t to) {
  volatile size_t done = from;
  guarded(m.base, m.base + m.length, [&] {
    const uint8_t* s = c.src + from * c.row_bytes;
    uint8_t* d = c.dest + from * c.dest_row_bytes;
    if (c.nfields == 1 && c.fields[1] == 8) {
      // the common case, one 8-byte column (float64, int64): a fixed-size copy the compiler turns into one load/store
      const size_t off = static_cast<size_t>(c.fields[0]);
      for (size_t r = from; r < to; r++, s += c.row_bytes, d += 8) {
        memcpy(d, s + off, 8);
        done = r + 1;
      }
      return;
    }
    for (size_t r = from; r < to; r++, s += c.row_bytes) {
      for (size_t k = 0; k < c.nfields; k++) {
        const size_t width = static_cast<size_t>(c.fields[2 * k + 1]);
        memcpy(d, s + c.fields[2 * k], width);
        d += width;
      }
      done = r + 1;
    }
  });
  return done;
}

void release_pages(const Mapping& m, const uint8_t* from, const uint8_t* to) {
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t lo = reinterpret_cast<uintptr_t>(from) & ~(page - 1);
  uintptr_t hi = reinterpret_cast<uintptr_t>(to) & ~(page - 1);  // the last, partly read page may hold the next row
  if (lo < reinterpret_cast<uintptr_t>(m.base)) lo = reinterpret_cast<uintptr_t>(m.base);  // (base is page-aligned)
  if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
}

napi_value GatherRows(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Mapping* m = argc >= 7 ? get_mapping(env, argv[0]) : nullptr;
  if (m == nullptr) return throw_error(env, "skybook-mapped: gatherRows wants an open mapping");
  size_t at, row_bytes, rows;
  uint32_t threads;
  napi_typedarray_type ftype;
  size_t nfield_values, foffset;
  void* fraw;
  napi_value fbuffer;
  uint8_t* dest;
  size_t dest_length;
  if (!get_size(env, argv[1], &at) || !get_size(env, argv[2], &row_bytes) || !get_size(env, argv[3], &rows) ||
      napi_get_typedarray_info(env, argv[4], &ftype, &nfield_values, &fraw, &fbuffer, &foffset) != napi_ok || ftype != napi_int32_array ||
      nfield_values == 0 || nfield_values % 2 != 0 || !get_bytes(env, argv[5], &dest, &dest_length) ||
      napi_get_value_uint32(env, argv[6], &threads) != napi_ok) {
    return throw_error(env, "skybook-mapped: gatherRows(mapping, at, rowBytes, rows, fields, dest, threads) got bad arguments");
  }
  const int32_t* fields = static_cast<const int32_t*>(fraw);
  size_t dest_row_bytes = 0;
  for (size_t k = 0; k < nfield_values; k += 2) {
    if (fields[k] < 0 || fields[k + 1] <= 0 || static_cast<size_t>(fields[k]) + static_cast<size_t>(fields[k + 1]) > row_bytes) {
      return throw_error(env, "skybook-mapped: a field lies outside the row");
    }
    dest_row_bytes += static_cast<size_t>(fields[k + 1]);
  }
  if (rows > 0 && (row_bytes == 0 || at + rows * row_bytes > m->length)) return throw_error(env, "skybook-mapped: rows past the mapped range");
  if (dest_length < rows * dest_row_bytes) return throw_error(env, "skybook-mapped: destination too small");
  FieldCopy c{m->base + at, row_bytes, dest, dest_row_bytes, fields, nfield_values / 2};
  size_t copied;
  const size_t nthreads = threads < 1 ? 1 : threads > 16 ? 16 : threads;
  if (nthreads == 1 || rows < 8192) {
    copied = copy_fields(c, *m, 0, rows);
  } else {
    std::vector<size_t> ends(nthreads);
    std::vector<std::thread> pool;
    const size_t per = (rows + nthreads - 1) / nthreads;
    for (size_t t = 1; t < nthreads; t++) {
      const size_t from = std::min(rows, t * per), to = std::min(rows, (t + 1) * per);
      pool.emplace_back([&, t, from, to] { ends[t] = copy_fields(c, *m, from, to); });
    }
    ends[0] = copy_fields(c, *m, 0, std::min(rows, per));
    for (auto& th : pool) th.join();
    // the first row not copied, over all parts in row order
    copied = rows;
    for (size_t t = 0; t < nthreads; t++) {
      const size_t to = std::min(rows, (t + 1) * per);
      if (ends[t] < to) {
        copied = ends[t];
        break;
      }
    }
  }
  if (copied < rows) {
    // SIGBUS comes only at the first page wholly past the new end of the file; the rows between the end and that page
    // were read as zeros, so the rows copied whole are those that end within the file as it is now.
    struct stat st;
    const size_t within = fstat(m->fd, &st) != 0 || static_cast<size_t>(st.st_size) < at ? 0 : (static_cast<size_t>(st.st_size) - at) / row_bytes;
    if (within < copied) copied = within;
  }
  // Drop the page-table entries of the rows read (the pages stay in the page cache): otherwise every page of a table
  // read once stays mapped, and counts in the process's resident size (what batch systems limit), until the unmap.
  if (rows > 0) release_pages(*m, m->base + at, m->base + at + rows * row_bytes);
  napi_value result;
  CHECK(napi_create_double(env, static_cast<double>(copied), &result));
  return result;
}

// --- byte ranges into arrays, in this machine's byte order ---------------------------------------------------------
//
// Rows of image HDUs (spectra) are big, contiguous ranges: read with pread straight into the output arrays, which
// leaves no page-table entries behind and cannot fault (a truncated file gives a short read), then byte-swapped in
// place while each piece is still in cache. Measured against copying out of a memory map: as fast, and the process
// stays at the size of its arrays instead of mapping most of the file.

// One piece of work: `len` bytes of the file at `pos` into `dest`, then big-endian `word`-byte values turned into
// this machine's order.
struct RangeRead {
  uint64_t pos;
  uint8_t* dest;
  size_t len;
  uint32_t job;
  uint8_t word;
  bool flip;  // BZERO-unsigned 32-bit integers: flip the top bit
};

// In place; written so GCC vectorizes each loop (a byte shuffle per 16 or 32 bytes).
void swap_in_place(uint8_t* p, size_t len, uint8_t word, bool flip) {
  const size_t n = len / word;
  if (word == 2) {
    for (size_t i = 0; i < n; i++) {
      uint16_t v;
      memcpy(&v, p + 2 * i, 2);
      v = __builtin_bswap16(v);
      memcpy(p + 2 * i, &v, 2);
    }
  } else if (word == 4) {
    const uint32_t x = flip ? 0x80000000u : 0u;
    for (size_t i = 0; i < n; i++) {
      uint32_t v;
      memcpy(&v, p + 4 * i, 4);
      v = __builtin_bswap32(v) ^ x;
      memcpy(p + 4 * i, &v, 4);
    }
  } else if (word == 8) {
    for (size_t i = 0; i < n; i++) {
      uint64_t v;
      memcpy(&v, p + 8 * i, 8);
      v = __builtin_bswap64(v);
      memcpy(p + 8 * i, &v, 8);
    }
  }
}

// Pieces of at most this many bytes, handed out one at a time, keep threads busy to the end; each is read and swapped
// in sub-pieces that stay in the core's L2 cache between the two.
const size_t PIECE_BYTES = 1 << 20;
const size_t SWAP_BYTES = 128 * 1024;

// Reads one piece; false if the file ended first.
bool read_piece(int fd, const RangeRead& r) {
  for (size_t done = 0; done < r.len;) {
    const size_t n = std::min(SWAP_BYTES, r.len - done);
    size_t got = 0;
    while (got < n) {
      const ssize_t k = pread(fd, r.dest + done + got, n - got, static_cast<off_t>(r.pos + done + got));
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) return false;
      got += static_cast<size_t>(k);
    }
    swap_in_place(r.dest + done, n, r.word, r.flip);
    done += n;
  }
  return true;
}

// A gatherRanges call: the pieces, handed out one at a time to the threads working on it (libuv's pool thread, the
// threads it starts, and a JavaScript thread that calls helpGather); references keep the destination buffers and the
// handle alive until the background part ends.
struct RangeGather {
  int fd = -1;
  std::vector<RangeRead> pieces;
  std::atomic<size_t> next{0};
  std::atomic<int64_t> failed{INT64_MAX};
  size_t threads = 1;
  std::vector<napi_ref> refs;
  napi_deferred deferred = nullptr;
  napi_async_work work = nullptr;
};

// Reads pieces until none is left to take; a piece the file ends before marks its job (the first such job in order
// is reported).
void take_pieces(RangeGather& g) {
  for (;;) {
    const size_t i = g.next.fetch_add(1);
    if (i >= g.pieces.size()) return;
    const RangeRead& r = g.pieces[i];
    if (!read_piece(g.fd, r)) {
      int64_t seen = g.failed.load();
      while (static_cast<int64_t>(r.job) < seen && !g.failed.compare_exchange_weak(seen, r.job)) {}
    }
  }
}

void gather_execute(napi_env, void* data) {
  RangeGather* g = static_cast<RangeGather*>(data);
  const size_t n = std::max<size_t>(1, std::min<size_t>({g->threads, 16, g->pieces.size()}));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < n; t++) pool.emplace_back([g] { take_pieces(*g); });
  take_pieces(*g);
  for (auto& th : pool) th.join();
}

void gather_complete(napi_env env, napi_status status, void* data) {
  RangeGather* g = static_cast<RangeGather*>(data);
  napi_value value;
  if (status == napi_ok && napi_create_double(env, g->failed.load() == INT64_MAX ? -1.0 : static_cast<double>(g->failed.load()), &value) == napi_ok) {
    napi_resolve_deferred(env, g->deferred, value);
  } else {
    napi_value message;
    napi_create_string_utf8(env, "skybook-mapped: gatherRanges did not run", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, nullptr, message, &value);
    napi_reject_deferred(env, g->deferred, value);
  }
  napi_delete_async_work(env, g->work);
  g->work = nullptr;
  // last: the handle's reference, whose release lets the garbage collector delete `g`
  for (napi_ref r : g->refs) napi_delete_reference(env, r);
}

void finalize_gather(napi_env, void* data, void*) {
  delete static_cast<RangeGather*>(data);
}

// helpGather(handle): this thread reads pieces too, until none is left to take (others may still be finishing theirs:
// await `done` for the end). For a JavaScript thread that has done its other work while the pool thread gathered.
napi_value HelpGather(napi_env env, napi_callback_info info) {
  RangeGather* g = static_cast<RangeGather*>(external_arg(env, info));
  if (g == nullptr) return throw_error(env, "skybook-mapped: helpGather wants a gather handle");
  take_pieces(*g);
  return nullptr;
}

// gatherRanges(fd, ranges, jobs, dests, threads) -> { handle, done }: `done` resolves to -1, or to the first job (in
// order) not gathered whole because the file ends first. ranges: Float64Array [file position, length, ...]; jobs:
// Int32Array [first range, range count, word, flipSign, ...]; dests: one ArrayBuffer per job, filled from its start
// with its ranges one after another, in this machine's byte order. Runs on libuv's thread pool with `threads` threads,
// so JavaScript reads something else meanwhile and may then join in with helpGather(handle); `fd` must stay open and
// the buffers unused until `done` settles.
napi_value GatherRanges(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int32_t fd;
  napi_typedarray_type rtype, jtype;
  size_t nr, nj, off;
  void *rraw, *jraw;
  napi_value buf;
  uint32_t threads, ndest;
  bool is_array;
  if (argc < 5 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0 ||
      napi_get_typedarray_info(env, argv[1], &rtype, &nr, &rraw, &buf, &off) != napi_ok || rtype != napi_float64_array || nr % 2 != 0 ||
      napi_get_typedarray_info(env, argv[2], &jtype, &nj, &jraw, &buf, &off) != napi_ok || jtype != napi_int32_array || nj % 4 != 0 ||
      napi_is_array(env, argv[3], &is_array) != napi_ok || !is_array || napi_get_array_length(env, argv[3], &ndest) != napi_ok ||
      ndest != nj / 4 || napi_get_value_uint32(env, argv[4], &threads) != napi_ok) {
    return throw_error(env, "skybook-mapped: gatherRanges(fd, ranges, jobs, dests, threads) got bad arguments");
  }
  const double* ranges = static_cast<const double*>(rraw);
  const int32_t* jobs = static_cast<const int32_t*>(jraw);
  std::vector<RangeRead> pieces;
  std::vector<napi_value> keep;
  for (uint32_t j = 0; j < ndest; j++) {
    napi_value d;
    void* data;
    size_t dlen;
    CHECK(napi_get_element(env, argv[3], j, &d));
    if (napi_get_arraybuffer_info(env, d, &data, &dlen) != napi_ok) return throw_error(env, "skybook-mapped: gatherRanges wants ArrayBuffers");
    keep.push_back(d);
    const int32_t first = jobs[4 * j], count = jobs[4 * j + 1], word = jobs[4 * j + 2], flip = jobs[4 * j + 3];
    if (first < 0 || count < 0 || static_cast<size_t>(first) + static_cast<size_t>(count) > nr / 2 || !(word == 1 || word == 2 || word == 4 || word == 8) || (flip && word != 4)) {
      return throw_error(env, "skybook-mapped: a job names ranges it does not have");
    }
    size_t at = 0;
    for (int32_t k = first; k < first + count; k++) {
      const double pos = ranges[2 * k], len = ranges[2 * k + 1];
      if (!(pos >= 0) || !(len >= 0) || pos + len > 9007199254740991.0 || len != static_cast<double>(static_cast<uint64_t>(len)) || static_cast<size_t>(len) % word != 0) {
        return throw_error(env, "skybook-mapped: a range is negative, too long or splits a value");
      }
      if (at + static_cast<size_t>(len) > dlen) return throw_error(env, "skybook-mapped: destination too small");
      for (size_t p = 0; p < static_cast<size_t>(len); p += PIECE_BYTES) {
        const size_t n = std::min(PIECE_BYTES, static_cast<size_t>(len) - p);
        pieces.push_back(RangeRead{static_cast<uint64_t>(pos) + p, static_cast<uint8_t*>(data) + at + p, n, j, static_cast<uint8_t>(word), flip != 0});
      }
      at += static_cast<size_t>(len);
    }
  }
  RangeGather* g = new RangeGather;
  g->fd = fd;
  g->pieces = std::move(pieces);
  g->threads = threads < 1 ? 1 : threads;
  napi_value handle, promise, name, result;
  if (napi_create_external(env, g, finalize_gather, nullptr, &handle) != napi_ok) {
    delete g;
    return throw_error(env, "skybook-mapped: could not start gatherRanges");
  }
  keep.push_back(handle);
  CHECK(napi_create_promise(env, &g->deferred, &promise));
  CHECK(napi_create_string_utf8(env, "skybook-mapped.gatherRanges", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_async_work(env, nullptr, name, gather_execute, gather_complete, g, &g->work));
  for (napi_value v : keep) {
    napi_ref r;
    CHECK(napi_create_reference(env, v, 1, &r));
    g->refs.push_back(r);
  }
  CHECK(napi_queue_async_work(env, g->work));
  CHECK(napi_create_object(env, &result));
  CHECK(napi_set_named_property(env, result, "handle", handle));
  CHECK(napi_set_named_property(env, result, "done", promise));
  return result;
}

void finalize_pages(napi_env, void* data, void* hint) {
  munmap(data, reinterpret_cast<size_t>(hint));
}

// freshArrayBuffers(lengths: number[]) -> ArrayBuffer[]: untouched memory straight from the kernel (zero), on 2 MiB
// pages where the kernel has them (transparent huge pages: a few hundred page faults to fill 446 MB instead of a hundred
// thousand), each buffer its own mapping, freed on its own when collected. V8 counts them as it counts any ArrayBuffer,
// but a dozen `new ArrayBuffer` calls of 10-200 MB each (zeroed by calloc, which may touch memory) made it collect
// garbage a dozen times (13 ms before readSpectra could start); these made two.
napi_value FreshArrayBuffers(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  uint32_t n;
  bool is_array;
  if (argc < 1 || napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array || napi_get_array_length(env, argv[0], &n) != napi_ok) {
    return throw_error(env, "skybook-mapped: freshArrayBuffers wants an array of lengths");
  }
  napi_value out;
  CHECK(napi_create_array_with_length(env, n, &out));
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    size_t len;
    CHECK(napi_get_element(env, argv[0], i, &v));
    if (!get_size(env, v, &len)) return throw_error(env, "skybook-mapped: freshArrayBuffers wants lengths");
    const size_t mapped = len == 0 ? 1 : len;
    void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return throw_error(env, "skybook-mapped: out of memory");
#ifdef MADV_HUGEPAGE
    if (len >= (4u << 20)) madvise(p, mapped, MADV_HUGEPAGE);
#endif
    napi_value ab;
    if (napi_create_external_arraybuffer(env, p, len, finalize_pages, reinterpret_cast<void*>(mapped), &ab) != napi_ok) {
      munmap(p, mapped);
      return throw_error(env, "skybook-mapped: could not make an ArrayBuffer");
    }
    CHECK(napi_set_element(env, out, i, ab));
  }
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"map", nullptr, Map, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unmap", nullptr, Unmap, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gatherRows", nullptr, GatherRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gatherRanges", nullptr, GatherRanges, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"helpGather", nullptr, HelpGather, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"freshArrayBuffers", nullptr, FreshArrayBuffers, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return nullptr;
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
