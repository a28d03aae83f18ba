/**
 * QUADPACK's QAGS (dqagse: adaptive 21-point Gauss-Kronrod with Wynn's epsilon extrapolation), step for step as the
 * Fortran original and scipy.integrate.quad run it, so that an integral of the same integrand comes out with the same
 * bits. VAST's comoving distance integrates a float32 integrand with it, and only the same rule, subdivisions and
 * extrapolation give the same float32 distance (see vast-comoving.ts). Arrays are 1-based as in QUADPACK (index 0
 * unused), which keeps the port checkable line by line against the published algorithm.
 */

const EPMACH = 2.220446049250313e-16; // d1mach(4)
const UFLOW = 2.2250738585072014e-308; // d1mach(1)
const OFLOW = Number.MAX_VALUE; // d1mach(2)

/**
 * Abscissae and weights of the 21-point Kronrod rule and its embedded 10-point Gauss rule (QUADPACK dqk21): its
 * 33-digit constants as the doubles they round to (what the compiled Fortran uses), in the shortest digits.
 */
const XGK = [
  0.9956571630258081, 0.9739065285171717, 0.9301574913557082, 0.8650633666889845, 0.7808177265864169, 0.6794095682990244,
  0.5627571346686047, 0.4333953941292472, 0.2943928627014602, 0.14887433898163122, 0,
];
const WGK = [
  0.011694638867371874, 0.032558162307964725, 0.054755896574351995, 0.07503967481091996, 0.0931254545836976, 0.10938715880229764,
  0.12349197626206584, 0.13470921731147334, 0.14277593857706009, 0.14773910490133849, 0.1494455540029169,
];
const WG = [0.06667134430868814, 0.1494513491505806, 0.21908636251598204, 0.26926671930999635, 0.29552422471475287];

interface Rule {
  result: number;
  abserr: number;
  resabs: number;
  resasc: number;
}

/** dqk21's function values off the centre, reused from call to call (no integrand here calls qags again). */
const FV1 = new Float64Array(10);
const FV2 = new Float64Array(10);

/** dqk21: the Kronrod estimate over [a, b] and QUADPACK's error estimate. */
function qk21(f: (x: number) => number, a: number, b: number, out: Rule): void {
  const centr = 0.5 * (a + b);
  const hlgth = 0.5 * (b - a);
  const dhlgth = Math.abs(hlgth);
  const fv1 = FV1;
  const fv2 = FV2;
  let resg = 0;
  const fc = f(centr);
  let resk = WGK[10]! * fc;
  let resabs = Math.abs(resk);
  for (let j = 1; j <= 5; j++) {
    const jtw = 2 * j;
    const absc = hlgth * XGK[jtw - 1]!;
    const fval1 = f(centr - absc);
    const fval2 = f(centr + absc);
    fv1[jtw - 1] = fval1;
    fv2[jtw - 1] = fval2;
    const fsum = fval1 + fval2;
    resg = resg + WG[j - 1]! * fsum;
    resk = resk + WGK[jtw - 1]! * fsum;
    resabs = resabs + WGK[jtw - 1]! * (Math.abs(fval1) + Math.abs(fval2));
  }
  for (let j = 1; j <= 5; j++) {
    const jtwm1 = 2 * j - 1;
    const absc = hlgth * XGK[jtwm1 - 1]!;
    const fval1 = f(centr - absc);
    const fval2 = f(centr + absc);
    fv1[jtwm1 - 1] = fval1;
    fv2[jtwm1 - 1] = fval2;
    const fsum = fval1 + fval2;
    resk = resk + WGK[jtwm1 - 1]! * fsum;
    resabs = resabs + WGK[jtwm1 - 1]! * (Math.abs(fval1) + Math.abs(fval2));
  }
  const reskh = resk * 0.5;
  let resasc = WGK[10]! * Math.abs(fc - reskh);
  for (let j = 1; j <= 10; j++) resasc = resasc + WGK[j - 1]! * (Math.abs(fv1[j - 1]! - reskh) + Math.abs(fv2[j - 1]! - reskh));
  out.result = resk * hlgth;
  resabs = resabs * dhlgth;
  resasc = resasc * dhlgth;
  let abserr = Math.abs((resk - resg) * hlgth);
  if (resasc !== 0 && abserr !== 0) abserr = resasc * Math.min(1, ((200 * abserr) / resasc) ** 1.5);
  if (resabs > UFLOW / (50 * EPMACH)) abserr = Math.max(EPMACH * 50 * resabs, abserr);
  out.abserr = abserr;
  out.resabs = resabs;
  out.resasc = resasc;
}

/** dqpsrt: keeps iord ordered by descending error and picks the interval to bisect next. */
function qpsrt(
  limit: number,
  last: number,
  s: { maxerr: number; ermax: number; nrmax: number },
  elist: Float64Array,
  iord: Int32Array,
): void {
  if (last <= 2) {
    iord[1] = 1;
    iord[2] = 2;
  } else {
    const errmax = elist[s.maxerr]!;
    if (s.nrmax !== 1) {
      const ido = s.nrmax - 1;
      for (let i = 1; i <= ido; i++) {
        const isucc = iord[s.nrmax - 1]!;
        if (errmax <= elist[isucc]!) break;
        iord[s.nrmax] = isucc;
        s.nrmax--;
      }
    }
    const jupbn = last > Math.trunc(limit / 2) + 2 ? limit + 3 - last : last;
    const errmin = elist[last]!;
    const jbnd = jupbn - 1;
    let placed = false;
    for (let i = s.nrmax + 1; i <= jbnd && !placed; i++) {
      const isucc = iord[i]!;
      if (errmax >= elist[isucc]!) {
        iord[i - 1] = s.maxerr;
        let k = jbnd;
        let done = false;
        for (let j = i; j <= jbnd; j++) {
          const isk = iord[k]!;
          if (errmin < elist[isk]!) {
            iord[k + 1] = last;
            done = true;
            break;
          }
          iord[k + 1] = isk;
          k--;
        }
        if (!done) iord[i] = last;
        placed = true;
      } else iord[i - 1] = isucc;
    }
    if (!placed) {
      iord[jbnd] = s.maxerr;
      iord[jupbn] = last;
    }
  }
  s.maxerr = iord[s.nrmax]!;
  s.ermax = elist[s.maxerr]!;
}

/** dqelg: one step of Wynn's epsilon algorithm over the table epstab (1-based, n entries). */
function qelg(st: { n: number; nres: number }, epstab: Float64Array, res3la: Float64Array): { result: number; abserr: number } {
  st.nres++;
  let abserr = OFLOW;
  let result = epstab[st.n]!;
  if (st.n < 3) return { result, abserr: Math.max(abserr, 5 * EPMACH * Math.abs(result)) };
  const limexp = 50;
  epstab[st.n + 2] = epstab[st.n]!;
  const newelm = Math.trunc((st.n - 1) / 2);
  epstab[st.n] = OFLOW;
  const num = st.n;
  let k1 = st.n;
  let converged = false;
  for (let i = 1; i <= newelm; i++) {
    const k2 = k1 - 1;
    const k3 = k1 - 2;
    let res = epstab[k1 + 2]!;
    const e0 = epstab[k3]!;
    const e1 = epstab[k2]!;
    const e2 = res;
    const e1abs = Math.abs(e1);
    const delta2 = e2 - e1;
    const err2 = Math.abs(delta2);
    const tol2 = Math.max(Math.abs(e2), e1abs) * EPMACH;
    const delta3 = e1 - e0;
    const err3 = Math.abs(delta3);
    const tol3 = Math.max(e1abs, Math.abs(e0)) * EPMACH;
    if (err2 <= tol2 && err3 <= tol3) {
      result = res;
      abserr = err2 + err3;
      converged = true;
      break;
    }
    const e3 = epstab[k1]!;
    epstab[k1] = e1;
    const delta1 = e1 - e3;
    const err1 = Math.abs(delta1);
    const tol1 = Math.max(e1abs, Math.abs(e3)) * EPMACH;
    let ss = 0;
    let irregular = true;
    if (err1 > tol1 && err2 > tol2 && err3 > tol3) {
      ss = 1 / delta1 + 1 / delta2 - 1 / delta3;
      irregular = Math.abs(ss * e1) <= 1e-4;
    }
    if (irregular) {
      st.n = i + i - 1;
      break;
    }
    res = e1 + 1 / ss;
    epstab[k1] = res;
    k1 = k1 - 2;
    const error = err2 + Math.abs(res - e2) + err3;
    if (error <= abserr) {
      abserr = error;
      result = res;
    }
  }
  if (!converged) {
    if (st.n === limexp) st.n = 2 * Math.trunc(limexp / 2) - 1;
    let ib = num % 2 === 0 ? 2 : 1;
    const ie = newelm + 1;
    for (let i = 1; i <= ie; i++) {
      const ib2 = ib + 2;
      epstab[ib] = epstab[ib2]!;
      ib = ib2;
    }
    if (num !== st.n) {
      let indx = num - st.n + 1;
      for (let i = 1; i <= st.n; i++) {
        epstab[i] = epstab[indx]!;
        indx++;
      }
    }
    if (st.nres < 4) {
      res3la[st.nres] = result;
      abserr = OFLOW;
    } else {
      abserr = Math.abs(result - res3la[3]!) + Math.abs(result - res3la[2]!) + Math.abs(result - res3la[1]!);
      res3la[1] = res3la[2]!;
      res3la[2] = res3la[3]!;
      res3la[3] = result;
    }
  }
  return { result, abserr: Math.max(abserr, 5 * EPMACH * Math.abs(result)) };
}

/**
 * The integral of f over [a, b] by QUADPACK's dqagse (scipy.integrate.quad's finite-interval routine): result and
 * error estimate.
 *
 * @example
 * qags((x) => x * x, 0, 1, 0, 1.49e-8, 50).result; // 0.33333333333333337
 */
export function qags(
  f: (x: number) => number,
  a: number,
  b: number,
  epsabs: number,
  epsrel: number,
  limit: number,
): { result: number; abserr: number; last: number; ier: number } {
  let ier = 0;
  const rule: Rule = { result: 0, abserr: 0, resabs: 0, resasc: 0 };
  qk21(f, a, b, rule);
  let result = rule.result;
  let abserr = rule.abserr;
  const defabs = rule.resabs;
  const resabs0 = rule.resasc;
  const dres = Math.abs(result);
  let errbnd = Math.max(epsabs, epsrel * dres);
  let last = 1;
  if (abserr <= 100 * EPMACH * defabs && abserr > errbnd) ier = 2;
  if (limit === 1) ier = 1;
  if (ier !== 0 || (abserr <= errbnd && abserr !== resabs0) || abserr === 0) return { result, abserr, last, ier };

  // Subdividing from here on (the first rule is enough for most smooth integrands: no arrays for them).
  const alist = new Float64Array(limit + 1);
  const blist = new Float64Array(limit + 1);
  const rlist = new Float64Array(limit + 1);
  const elist = new Float64Array(limit + 1);
  const iord = new Int32Array(limit + 1);
  const rlist2 = new Float64Array(53);
  const res3la = new Float64Array(4);
  alist[1] = a;
  blist[1] = b;
  rlist[1] = result;
  elist[1] = abserr;
  iord[1] = 1;

  rlist2[1] = result;
  let errmax = abserr;
  const sel = { maxerr: 1, ermax: errmax, nrmax: 1 };
  let area = result;
  let errsum = abserr;
  abserr = OFLOW;
  const eps = { n: 2, nres: 0 };
  let ktmin = 0;
  let extrap = false;
  let noext = false;
  let ierro = 0;
  let iroff1 = 0,
    iroff2 = 0,
    iroff3 = 0;
  let ksgn = -1;
  if (dres >= (1 - 50 * EPMACH) * defabs) ksgn = 1;
  let small = 0,
    erlarg = 0,
    ertest = 0,
    correc = 0;
  const r1: Rule = { result: 0, abserr: 0, resabs: 0, resasc: 0 };
  const r2: Rule = { result: 0, abserr: 0, resabs: 0, resasc: 0 };
  let sumOut = false;
  for (last = 2; last <= limit; last++) {
    const maxerr = sel.maxerr;
    const a1 = alist[maxerr]!;
    const b1 = 0.5 * (alist[maxerr]! + blist[maxerr]!);
    const a2 = b1;
    const b2 = blist[maxerr]!;
    const erlast = errmax;
    qk21(f, a1, b1, r1);
    qk21(f, a2, b2, r2);
    const area1 = r1.result,
      error1 = r1.abserr,
      defab1 = r1.resasc;
    const area2 = r2.result,
      error2 = r2.abserr,
      defab2 = r2.resasc;
    const area12 = area1 + area2;
    const erro12 = error1 + error2;
    errsum = errsum + erro12 - errmax;
    area = area + area12 - rlist[maxerr]!;
    if (defab1 !== error1 && defab2 !== error2) {
      if (Math.abs(rlist[maxerr]! - area12) <= 1e-5 * Math.abs(area12) && erro12 >= 0.99 * errmax) {
        if (extrap) iroff2++;
        else iroff1++;
      }
      if (last > 10 && erro12 > errmax) iroff3++;
    }
    rlist[maxerr] = area1;
    rlist[last] = area2;
    errbnd = Math.max(epsabs, epsrel * Math.abs(area));
    if (iroff1 + iroff2 >= 10 || iroff3 >= 20) ier = 2;
    if (iroff2 >= 5) ierro = 3;
    if (last === limit) ier = 1;
    if (Math.max(Math.abs(a1), Math.abs(b2)) <= (1 + 100 * EPMACH) * (Math.abs(a2) + 1000 * UFLOW)) ier = 4;
    if (error2 > error1) {
      alist[maxerr] = a2;
      alist[last] = a1;
      blist[last] = b1;
      rlist[maxerr] = area2;
      rlist[last] = area1;
      elist[maxerr] = error2;
      elist[last] = error1;
    } else {
      alist[last] = a2;
      blist[maxerr] = b1;
      blist[last] = b2;
      elist[maxerr] = error1;
      elist[last] = error2;
    }
    qpsrt(limit, last, sel, elist, iord);
    errmax = sel.ermax;
    if (errsum <= errbnd) {
      sumOut = true;
      break;
    }
    if (ier !== 0) break;
    if (last === 2) {
      small = Math.abs(b - a) * 0.375;
      erlarg = errsum;
      ertest = errbnd;
      rlist2[2] = area;
      continue;
    }
    if (noext) continue;
    erlarg = erlarg - erlast;
    if (Math.abs(b1 - a1) > small) erlarg = erlarg + erro12;
    if (!extrap) {
      if (Math.abs(blist[sel.maxerr]! - alist[sel.maxerr]!) > small) continue;
      extrap = true;
      sel.nrmax = 2;
    }
    let bisectLarge = false;
    if (ierro !== 3 && erlarg > ertest) {
      const id = sel.nrmax;
      let jupbnd = last;
      if (last > 2 + Math.trunc(limit / 2)) jupbnd = limit + 3 - last;
      for (let k = id; k <= jupbnd; k++) {
        sel.maxerr = iord[sel.nrmax]!;
        errmax = elist[sel.maxerr]!;
        if (Math.abs(blist[sel.maxerr]! - alist[sel.maxerr]!) > small) {
          bisectLarge = true;
          break;
        }
        sel.nrmax++;
      }
    }
    if (bisectLarge) continue;
    eps.n++;
    rlist2[eps.n] = area;
    const ex = qelg(eps, rlist2, res3la);
    ktmin++;
    if (ktmin > 5 && abserr < 0.001 * errsum) ier = 5;
    if (ex.abserr < abserr) {
      ktmin = 0;
      abserr = ex.abserr;
      result = ex.result;
      correc = erlarg;
      ertest = Math.max(epsabs, epsrel * Math.abs(ex.result));
      if (abserr <= ertest) break;
    }
    if (eps.n === 1) noext = true;
    if (ier === 5) break;
    sel.maxerr = iord[1]!;
    errmax = elist[sel.maxerr]!;
    sel.nrmax = 1;
    extrap = false;
    small = small * 0.5;
    erlarg = errsum;
  }
  if (last > limit) last = limit;
  // set final result and error estimate (labels 100-115 of dqagse)
  let useSum = sumOut || abserr === OFLOW;
  if (!useSum && ier + ierro !== 0) {
    if (ierro === 3) abserr = abserr + correc;
    if (ier === 0) ier = 3;
    if (result !== 0 && area !== 0) {
      if (abserr / Math.abs(result) > errsum / Math.abs(area)) useSum = true;
    } else if (abserr > errsum) useSum = true;
    else if (area === 0) return { result, abserr, last, ier };
  }
  if (!useSum) {
    if (!(ksgn === -1 && Math.max(Math.abs(result), Math.abs(area)) <= defabs * 0.01)) {
      if (0.01 > result / area || result / area > 100 || errsum > Math.abs(area)) ier = 6;
    }
    return { result, abserr, last, ier: ier === 6 ? 5 : ier };
  }
  result = 0;
  for (let k = 1; k <= last; k++) result = result + rlist[k]!;
  return { result, abserr: errsum, last, ier };
}
