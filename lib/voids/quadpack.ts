// QUADPACK's adaptive Gauss-Kronrod integrator QAGS (Piessens, de Doncker-Kapenga, Ueberhuber & Kahaner 1983; public
// domain), step for step as its dqagse, dqk21, dqpsrt and dqelg run: VAST computes every comoving distance with it
// (through scipy's _quadpack._qagse, on a float32 integrand), and only the same bisections, interval order, sums and
// epsilon-algorithm extrapolations give VAST's float32 distances to the last bit. Used by vastDistances.

/** The 21-point Kronrod nodes (the odd ones are the 10-point Gauss nodes) and weights, QUADPACK's dqk21 table. */
const XGK = [
  0.9956571630258081, 0.9739065285171717, 0.9301574913557082, 0.8650633666889845, 0.7808177265864169, 0.6794095682990244,
  0.5627571346686047, 0.4333953941292472, 0.2943928627014602, 0.14887433898163122, 0,
];
const WGK = [
  0.011694638867371874, 0.032558162307964725, 0.054755896574351995, 0.07503967481091996, 0.0931254545836976, 0.10938715880229764,
  0.12349197626206584, 0.13470921731147334, 0.14277593857706009, 0.14773910490133849, 0.1494455540029169,
];
const WG = [0.06667134430868814, 0.1494513491505806, 0.21908636251598204, 0.26926671930999635, 0.29552422471475287];
const EPMACH = 2.220446049250313e-16;
const UFLOW = 2.2250738585072014e-308;
const OFLOW = Number.MAX_VALUE;

interface Rule {
  result: number;
  abserr: number;
  /** Integral of |f| (QUADPACK's resabs). */
  resabs: number;
  /** Integral of |f - mean| (QUADPACK's resasc). */
  resasc: number;
}

/** Function values at the Kronrod nodes left and right of the centre (qk21 is synchronous: one pair of buffers serves all calls). */
const FV1 = new Float64Array(10);
const FV2 = new Float64Array(10);

/** dqk21: the 21-point Kronrod rule on [a, b] with the embedded 10-point Gauss rule for the error estimate. */
function qk21(f: (x: number) => number, a: number, b: number): Rule {
  const centr = 0.5 * (a + b);
  const hlgth = 0.5 * (b - a);
  const dhlgth = Math.abs(hlgth);
  let resg = 0;
  const fc = f(centr);
  let resk = WGK[10]! * fc;
  let resabs = Math.abs(resk);
  const fv1 = FV1;
  const fv2 = FV2;
  for (let j = 1; j <= 5; j++) {
    const k = 2 * j - 1;
    const absc = hlgth * XGK[k]!;
    const f1 = f(centr - absc);
    const f2 = f(centr + absc);
    fv1[k] = f1;
    fv2[k] = f2;
    const fsum = f1 + f2;
    resg += WG[j - 1]! * fsum;
    resk += WGK[k]! * fsum;
    resabs += WGK[k]! * (Math.abs(f1) + Math.abs(f2));
  }
  for (let j = 1; j <= 5; j++) {
    const k = 2 * j - 2;
    const absc = hlgth * XGK[k]!;
    const f1 = f(centr - absc);
    const f2 = f(centr + absc);
    fv1[k] = f1;
    fv2[k] = f2;
    const fsum = f1 + f2;
    resk += WGK[k]! * fsum;
    resabs += WGK[k]! * (Math.abs(f1) + Math.abs(f2));
  }
  const reskh = resk * 0.5;
  let resasc = WGK[10]! * Math.abs(fc - reskh);
  for (let j = 0; j < 10; j++) resasc += WGK[j]! * (Math.abs(fv1[j]! - reskh) + Math.abs(fv2[j]! - reskh));
  const result = resk * hlgth;
  resabs *= dhlgth;
  resasc *= dhlgth;
  let abserr = Math.abs((resk - resg) * hlgth);
  if (resasc !== 0 && abserr !== 0) abserr = resasc * Math.min(1, ((200 * abserr) / resasc) ** 1.5);
  if (resabs > UFLOW / (50 * EPMACH)) abserr = Math.max(EPMACH * 50 * resabs, abserr);
  return { result, abserr, resabs, resasc };
}

/** dqpsrt: keeps `iord` (1-based interval numbers) in descending order of error; returns the next maxerr, errmax, nrmax. */
function qpsrt(
  limit: number,
  last: number,
  maxerr: number,
  elist: Float64Array,
  iord: Int32Array,
  nrmaxIn: number,
): [number, number, number] {
  let nrmax = nrmaxIn;
  if (last <= 2) {
    iord[1] = 1;
    iord[2] = 2;
  } else {
    const errmax = elist[maxerr]!;
    if (nrmax !== 1) {
      for (let i = 1; i <= nrmax - 1; i++) {
        const isucc = iord[nrmax - 1]!;
        if (errmax <= elist[isucc]!) break;
        iord[nrmax] = isucc;
        nrmax--;
      }
    }
    const jupbn = last > Math.trunc(limit / 2) + 2 ? limit + 3 - last : last;
    const errmin = elist[last]!;
    const jbnd = jupbn - 1;
    const ibeg = nrmax + 1;
    let placed = false;
    if (ibeg <= jbnd) {
      for (let i = ibeg; i <= jbnd; i++) {
        const isucc = iord[i]!;
        if (errmax >= elist[isucc]!) {
          // insert errmax here, then errmin bottom-up
          iord[i - 1] = maxerr;
          let k = jbnd;
          let done = false;
          for (let j = i; j <= jbnd; j++) {
            const s = iord[k]!;
            if (errmin < elist[s]!) {
              iord[k + 1] = last;
              done = true;
              break;
            }
            iord[k + 1] = s;
            k--;
          }
          if (!done) iord[i] = last;
          placed = true;
          break;
        }
        iord[i - 1] = isucc;
      }
    }
    if (!placed) {
      iord[jbnd] = maxerr;
      iord[jupbn] = last;
    }
  }
  const next = iord[nrmax]!;
  return [next, elist[next]!, nrmax];
}

/** dqelg's state: the epsilon table (1-based, 52 + 1 slots), the last three results, and how many were made. */
interface Epsilon {
  table: Float64Array;
  last3: Float64Array;
  nres: number;
}

/** dqelg: Wynn's epsilon algorithm on the table's n entries; updates n and the table, returns [result, abserr, n]. */
function qelg(nIn: number, eps: Epsilon): [number, number, number] {
  const e = eps.table;
  let n = nIn;
  eps.nres++;
  let abserr = OFLOW;
  let result = e[n]!;
  if (n >= 3) {
    const limexp = 50;
    e[n + 2] = e[n]!;
    const newelm = Math.trunc((n - 1) / 2);
    e[n] = OFLOW;
    const num = n;
    let k1 = n;
    let converged = false;
    for (let i = 1; i <= newelm; i++) {
      const k2 = k1 - 1;
      const k3 = k1 - 2;
      let res = e[k1 + 2]!;
      const e0 = e[k3]!;
      const e1 = e[k2]!;
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
      const e3 = e[k1]!;
      e[k1] = e1;
      const delta1 = e1 - e3;
      const err1 = Math.abs(delta1);
      const tol1 = Math.max(e1abs, Math.abs(e3)) * EPMACH;
      let irregular = err1 <= tol1 || err2 <= tol2 || err3 <= tol3;
      let ss = 0;
      if (!irregular) {
        ss = 1 / delta1 + 1 / delta2 - 1 / delta3;
        irregular = !(Math.abs(ss * e1) > 1e-4);
      }
      if (irregular) {
        n = i + i - 1;
        break;
      }
      res = e1 + 1 / ss;
      e[k1] = res;
      k1 -= 2;
      const error = err2 + Math.abs(res - e2) + err3;
      if (!(error > abserr)) {
        abserr = error;
        result = res;
      }
    }
    if (!converged) {
      if (n === limexp) n = 2 * Math.trunc(limexp / 2) - 1;
      let ib = num % 2 === 0 ? 2 : 1;
      for (let i = 1; i <= newelm + 1; i++) {
        e[ib] = e[ib + 2]!;
        ib += 2;
      }
      if (num !== n) {
        let indx = num - n + 1;
        for (let i = 1; i <= n; i++) e[i] = e[indx++]!;
      }
      if (eps.nres < 4) {
        eps.last3[eps.nres] = result;
        abserr = OFLOW;
      } else {
        abserr = Math.abs(result - eps.last3[3]!) + Math.abs(result - eps.last3[2]!) + Math.abs(result - eps.last3[1]!);
        eps.last3[1] = eps.last3[2]!;
        eps.last3[2] = eps.last3[3]!;
        eps.last3[3] = result;
      }
    }
  }
  return [result, Math.max(abserr, 5 * EPMACH * Math.abs(result)), n];
}

/**
 * QUADPACK's dqagse: the integral of f over [a, b] to max(epsabs, epsrel |I|), bisecting the interval with the largest
 * error and extrapolating with the epsilon algorithm, exactly as QUADPACK (and scipy.integrate.quad) does. `limit`
 * is the most subintervals (scipy's default 50).
 *
 * @example
 * qags((x) => 1 / Math.sqrt(x), 0, 1, 0, 1.49e-8); // 2
 */
export function qags(f: (x: number) => number, a: number, b: number, epsabs: number, epsrel: number, limit = 50): number {
  const first = qk21(f, a, b);
  const result = first.result;
  const abserr = first.abserr;
  const errbnd = Math.max(epsabs, epsrel * Math.abs(result));
  let ier = 0;
  if (abserr <= 100 * EPMACH * first.resabs && abserr > errbnd) ier = 2;
  if (limit === 1) ier = 1;
  if (ier !== 0 || (abserr <= errbnd && abserr !== first.resasc) || abserr === 0) return result;
  return subdivide(f, a, b, epsabs, epsrel, limit, first);
}

/** dqagse's main loop, for an integral the first 21-point rule did not settle (about a third of VAST's distances). */
function subdivide(f: (x: number) => number, a: number, b: number, epsabs: number, epsrel: number, limit: number, first: Rule): number {
  const alist = new Float64Array(limit + 1);
  const blist = new Float64Array(limit + 1);
  const rlist = new Float64Array(limit + 1);
  const elist = new Float64Array(limit + 1);
  const iord = new Int32Array(limit + 1);
  let result = first.result;
  let abserr = first.abserr;
  const defabs = first.resabs;
  const dres = Math.abs(result);
  let errbnd = Math.max(epsabs, epsrel * dres);
  alist[1] = a;
  blist[1] = b;
  rlist[1] = result;
  elist[1] = abserr;
  iord[1] = 1;
  let ier = 0;
  const eps: Epsilon = { table: new Float64Array(53), last3: new Float64Array(4), nres: 0 };
  eps.table[1] = result;
  let errmax = abserr;
  let maxerr = 1;
  let area = result;
  let errsum = abserr;
  abserr = OFLOW;
  let nrmax = 1;
  let numrl2 = 2;
  let ktmin = 0;
  let extrap = false;
  let noext = false;
  let ierro = 0;
  let iroff1 = 0;
  let iroff2 = 0;
  let iroff3 = 0;
  const ksgn = dres >= (1 - 50 * EPMACH) * defabs ? 1 : -1;
  let small = 0;
  let erlarg = 0;
  let ertest = 0;
  let correc = 0;
  let last = 1;
  let sumList = false;

  main: for (last = 2; last <= limit; last++) {
    const a1 = alist[maxerr]!;
    const b1 = 0.5 * (alist[maxerr]! + blist[maxerr]!);
    const a2 = b1;
    const b2 = blist[maxerr]!;
    const erlast = errmax;
    const left = qk21(f, a1, b1);
    const right = qk21(f, a2, b2);
    const area1 = left.result;
    const error1 = left.abserr;
    const area2 = right.result;
    const error2 = right.abserr;
    const area12 = area1 + area2;
    const erro12 = error1 + error2;
    errsum = errsum + erro12 - errmax;
    area = area + area12 - rlist[maxerr]!;
    if (!(left.resasc === error1 || right.resasc === error2)) {
      if (!(Math.abs(rlist[maxerr]! - area12) > 1e-5 * Math.abs(area12) || erro12 < 0.99 * errmax)) {
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
    [maxerr, errmax, nrmax] = qpsrt(limit, last, maxerr, elist, iord, nrmax);
    if (errsum <= errbnd) {
      sumList = true;
      break;
    }
    if (ier !== 0) break;
    if (last === 2) {
      small = Math.abs(b - a) * 0.375;
      erlarg = errsum;
      ertest = errbnd;
      eps.table[2] = area;
      continue;
    }
    if (noext) continue;
    erlarg -= erlast;
    if (Math.abs(b1 - a1) > small) erlarg += erro12;
    if (!extrap) {
      if (Math.abs(blist[maxerr]! - alist[maxerr]!) > small) continue;
      extrap = true;
      nrmax = 2;
    }
    if (ierro !== 3 && erlarg > ertest) {
      // the smallest interval has the largest error: bisect the larger ones first, if any is left
      const id = nrmax;
      const jupbnd = last > 2 + Math.trunc(limit / 2) ? limit + 3 - last : last;
      for (let k = id; k <= jupbnd; k++) {
        maxerr = iord[nrmax]!;
        errmax = elist[maxerr]!;
        if (Math.abs(blist[maxerr]! - alist[maxerr]!) > small) continue main;
        nrmax++;
      }
    }
    numrl2++;
    eps.table[numrl2] = area;
    let reseps: number;
    let abseps: number;
    [reseps, abseps, numrl2] = qelg(numrl2, eps);
    ktmin++;
    if (ktmin > 5 && abserr < 1e-3 * errsum) ier = 5;
    if (abseps < abserr) {
      ktmin = 0;
      abserr = abseps;
      result = reseps;
      correc = erlarg;
      ertest = Math.max(epsabs, epsrel * Math.abs(reseps));
      if (abserr <= ertest) break;
    }
    if (numrl2 === 1) noext = true;
    if (ier === 5) break;
    maxerr = iord[1]!;
    errmax = elist[maxerr]!;
    nrmax = 1;
    extrap = false;
    small *= 0.5;
    erlarg = errsum;
  }
  if (!sumList) {
    // QUADPACK's label 100: keep the extrapolated result unless the plain sum is the better estimate
    if (abserr === OFLOW) sumList = true;
    else if (ier + ierro !== 0) {
      if (ierro === 3) abserr += correc;
      if (result !== 0 && area !== 0) {
        if (abserr / Math.abs(result) > errsum / Math.abs(area)) sumList = true;
      } else if (abserr > errsum) sumList = true;
      else if (area === 0) return result;
    }
    void ksgn;
  }
  if (sumList) {
    result = 0;
    for (let k = 1; k <= Math.min(last, limit); k++) result += rlist[k]!;
  }
  return result;
}
