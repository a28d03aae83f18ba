"""PyQSOFit on N quasar spectra with one fixed configuration: the anchor of bench/quasar and lib/quasar's checks.

It imports the PyQSOFit installed in .venv (bench/quasar/install-pyqsofit.sh) and writes one JSON line per spectrum.

    .venv/bin/python bench/quasar/pyqsofit_fit.py --input FILE [FILE ...] --out FITS.jsonl [--limit N]
        [--write-params PARAMS.fits]

Input (each FILE; spectra are taken in the order given, then in file order):
- an SDSS spec file (spec-PLATE-MJD-FIBER.fits, SDSS-I/II or BOSS/eBOSS): COADD loglam, flux, ivar and the pipeline
  redshift Z of HDU 2 (SPECOBJ or SPALL); the id is PLATE-MJD-FIBER;
- JSON lines (.jsonl), one spectrum per line:
  {"id": "...", "z": 1.23, "wave": [...], "flux": [...], "err": [...]}   ("ivar": [...] may replace "err"), with
  wave the observed vacuum wavelength in Angstrom and flux, err in 1e-17 erg/s/cm^2/A (SDSS and DESI units).
  Pixels with err <= 0 (ivar 0), non-finite values or flux exactly 0 are dropped by PyQSOFit itself.

Output: one JSON object per spectrum, in input order:
  {"id", "z", "ok", "reason", "seconds", "cpu_seconds",
   "lya_br_fwhm", "lya_br_ew", "civ_br_fwhm", "civ_br_ew", "ciii_br_fwhm", "ciii_br_ew",
   "mgii_br_fwhm", "mgii_br_ew", "hb_br_fwhm", "hb_br_ew", "ha_br_fwhm", "ha_br_ew",
   "log_l1350", "log_l3000", "log_l5100", "sn_conti"}
FWHM in km/s and EW in rest-frame Angstrom of the whole broad profile (PyQSOFit's <complex>_whole_br_fwhm and _ew: the
sum of the complex's Gaussians wider than 0.0017 in ln lambda); log L = log10(lambda L_lambda / erg s^-1) of the power
law (PyQSOFit's L1350, L3000, L5100; FlatLambdaCDM H0 70, Om0 0.3). A value is null where the line or wavelength is
not covered (PyQSOFit's -1 or 0); a spectrum PyQSOFit fails on gets ok false, the reason, and nulls, and the run goes
on. seconds is the wall-clock time of that spectrum's QSOFit(...).Fit(...), input reading excluded, cpu_seconds this
process's CPU time over the same span (the steadier figure on a shared machine). The last line on
stdout is a summary: {"summary": true, "n", "ok", "failed", "seconds", "spectra_per_s", "import_seconds", ...}.

The configuration (CONFIG below; PyQSOFit's own defaults where not named): continuum = power law + UV and optical Fe II
templates (no polynomial, no Balmer continuum), no host decomposition, no Monte Carlo or MCMC errors, no
dereddening (the SFD maps are not part of every PyQSOFit checkout, and E(B-V) is not in our inputs), no outlier
rejection (PyQSOFit's pointDistGESD also removes strong narrow lines), no absorption-pixel rejection, no smoothing.
Line complexes, continuum windows and continuum priors are those of PyQSOFit's default parameter file (qsopar.fits
at legolason/PyQSOFit 084df5a, 2025-03-18) for Lya, CIV, CIII], MgII, Hb and Ha, rewritten below as tables of ours;
the script writes its own parameter file from them in PyQSOFit's layout (--write-params keeps a copy).
"""

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

# Fit options passed to QSOFit.Fit, fixed for every spectrum (see the module docstring for why).
CONFIG = {
    "nsmooth": 1,
    "and_mask": False,
    "or_mask": False,
    "reject_badpix": False,
    "deredden": False,
    "wave_range": None,
    "wave_mask": None,
    "decompose_host": False,
    "Fe_uv_op": True,
    "poly": False,
    "BC": False,
    "rej_abs_conti": False,
    "rej_abs_line": False,
    "MC": False,
    "MCMC": False,
    "epsilon_jitter": 0.0,
    "linefit": True,
    "save_result": False,
    "plot_fig": False,
    "save_fig": False,
    "verbose": False,
}

# Line complexes: name -> (fit range min, max) in rest-frame Angstrom.
COMPLEXES = {
    "Ha": (6400.0, 6800.0),
    "Hb": (4640.0, 5100.0),
    "MgII": (2700.0, 2900.0),
    "CIII": (1700.0, 1970.0),
    "CIV": (1500.0, 1700.0),
    "Lya": (1150.0, 1290.0),
}

# Lines: complex, line, vacuum rest wavelength (A), Gaussians, sigma initial/min/max (ln lambda), velocity offset
# limit (ln lambda), tie groups for velocity, width and flux (0: untied; same number within a complex: tied), and the
# flux ratio value used by the flux ties. Every line's scale starts at 0.1 within [0, 1e10] and is fitted.
LINES = [
    # complex  line         lambda   ngauss sig0    sigmin    sigmax  voff    vtie wtie ftie fvalue
    ("Ha", "Ha_br", 6564.61, 2, 0.005, 0.004, 0.05, 0.015, 0, 0, 0, 0.05),
    ("Ha", "Ha_na", 6564.61, 1, 0.001, 0.0005, 0.0017, 0.01, 1, 1, 0, 0.002),
    ("Ha", "NII6549", 6549.85, 1, 0.001, 0.00023, 0.0017, 0.005, 1, 1, 1, 0.001),
    ("Ha", "NII6585", 6585.28, 1, 0.001, 0.00023, 0.0017, 0.005, 1, 1, 1, 0.003),
    ("Ha", "SII6718", 6718.29, 1, 0.001, 0.00023, 0.0017, 0.005, 1, 1, 2, 0.001),
    ("Ha", "SII6732", 6732.67, 1, 0.001, 0.00023, 0.0017, 0.005, 1, 1, 2, 0.001),
    ("Hb", "Hb_br", 4862.68, 2, 0.005, 0.004, 0.05, 0.01, 0, 0, 0, 0.01),
    ("Hb", "Hb_na", 4862.68, 1, 0.001, 0.00023, 0.0017, 0.01, 1, 1, 0, 0.002),
    ("Hb", "OIII4959c", 4960.30, 1, 0.001, 0.00023, 0.0017, 0.01, 1, 1, 0, 0.002),
    ("Hb", "OIII5007c", 5008.24, 1, 0.001, 0.00023, 0.0017, 0.01, 1, 1, 0, 0.004),
    ("MgII", "MgII_br", 2798.75, 1, 0.005, 0.004, 0.05, 0.0017, 0, 0, 0, 0.05),
    ("MgII", "MgII_na", 2798.75, 2, 0.001, 0.0005, 0.0017, 0.01, 1, 1, 0, 0.002),
    ("CIII", "CIII_br", 1908.73, 2, 0.005, 0.004, 0.05, 0.015, 99, 0, 0, 0.01),
    ("CIV", "CIV_br", 1549.06, 1, 0.005, 0.004, 0.05, 0.015, 0, 0, 0, 0.05),
    ("CIV", "CIV_na", 1549.06, 1, 0.001, 0.0005, 0.0017, 0.01, 1, 1, 0, 0.002),
    ("Lya", "Lya_br", 1215.67, 1, 0.005, 0.004, 0.05, 0.02, 0, 0, 0, 0.05),
    ("Lya", "Lya_na", 1215.67, 1, 0.001, 0.0005, 0.0017, 0.01, 0, 0, 0, 0.002),
]

# Line-free continuum windows, rest-frame Angstrom.
CONTINUUM_WINDOWS = [
    (1150, 1170), (1275, 1290), (1350, 1360), (1445, 1465), (1690, 1705), (1770, 1810), (1970, 2400),
    (2480, 2675), (2925, 3400), (3775, 3832), (4000, 4050), (4200, 4230), (4435, 4640), (5100, 5535),
    (6005, 6035), (6110, 6250), (6800, 7000), (7160, 7180), (7500, 7800), (8050, 8150),
]

# Continuum parameters in the order PyQSOFit reads them: name, initial, min, max, fitted. The Balmer continuum and
# polynomial terms are switched off by CONFIG (BC, poly) whatever their rows say.
CONTINUUM_PRIORS = [
    ("Fe_uv_norm", 0.0, 0.0, 1e10, 1),
    ("Fe_uv_FWHM", 3000.0, 1200.0, 18000.0, 1),
    ("Fe_uv_shift", 0.0, -0.01, 0.01, 1),
    ("Fe_op_norm", 0.0, 0.0, 1e10, 1),
    ("Fe_op_FWHM", 3000.0, 1200.0, 18000.0, 1),
    ("Fe_op_shift", 0.0, -0.01, 0.01, 1),
    ("PL_norm", 1.0, 0.0, 1e10, 1),
    ("PL_slope", -1.5, -5.0, 3.0, 1),
    ("Blamer_norm", 0.0, 0.0, 1e10, 1),
    ("Balmer_Te", 15000.0, 10000.0, 50000.0, 1),
    ("Balmer_Tau", 0.5, 0.1, 2.0, 1),
    ("conti_a_0", 0.0, np.nan, np.nan, 1),
    ("conti_a_1", 0.0, np.nan, np.nan, 1),
    ("conti_a_2", 0.0, np.nan, np.nan, 1),
]

# Where continuum luminosities are reported (rest-frame A), and the Fe II flux range PyQSOFit also integrates.
LUMINOSITY_WAVELENGTHS = [1350.0, 1450.0, 3000.0, 4200.0, 5100.0]
FE_FLUX_RANGES = [(4435.0, 4685.0)]

# Our output names for PyQSOFit's broad-line complexes (complex name in COMPLEXES -> column prefix).
BROAD_OUTPUTS = {"Lya": "lya", "CIV": "civ", "CIII": "ciii", "MgII": "mgii", "Hb": "hb", "Ha": "ha"}
LUMINOSITY_OUTPUTS = {"L1350": "log_l1350", "L3000": "log_l3000", "L5100": "log_l5100"}


def write_parameter_file(path):
    """Writes the tables above as a FITS file in the layout PyQSOFit reads (HDUs 1-4 by position).

    Single-precision columns, as PyQSOFit's own file has them, so that the fits equal those made with its file.
    """
    from astropy.io import fits

    def column(name, fmt, values, **kw):
        return fits.Column(name=name, format=fmt, array=np.array(values), **kw)

    lines = LINES
    line_hdu = fits.BinTableHDU.from_columns(
        [
            column("lambda", "E", [r[2] for r in lines]),
            column("compname", "20A", [r[0] for r in lines]),
            column("minwav", "E", [COMPLEXES[r[0]][0] for r in lines]),
            column("maxwav", "E", [COMPLEXES[r[0]][1] for r in lines]),
            column("linename", "20A", [r[1] for r in lines]),
            column("ngauss", "J", [r[3] for r in lines]),
            column("inisca", "E", [0.1] * len(lines)),
            column("minsca", "E", [0.0] * len(lines)),
            column("maxsca", "E", [1e10] * len(lines)),
            column("inisig", "E", [r[4] for r in lines]),
            column("minsig", "E", [r[5] for r in lines]),
            column("maxsig", "E", [r[6] for r in lines]),
            column("voff", "E", [r[7] for r in lines]),
            column("vindex", "J", [r[8] for r in lines]),
            column("windex", "J", [r[9] for r in lines]),
            column("findex", "J", [r[10] for r in lines]),
            column("fvalue", "E", [r[11] for r in lines]),
            column("vary", "J", [1] * len(lines)),
        ],
        name="LINE_PRIORS",
    )
    window_hdu = fits.BinTableHDU.from_columns(
        [
            column("min", "E", [w[0] for w in CONTINUUM_WINDOWS]),
            column("max", "E", [w[1] for w in CONTINUUM_WINDOWS]),
        ],
        name="CONTI_WINDOWS",
    )
    prior_hdu = fits.BinTableHDU.from_columns(
        [
            column("parname", "20A", [p[0] for p in CONTINUUM_PRIORS]),
            column("initial", "E", [p[1] for p in CONTINUUM_PRIORS]),
            column("min", "E", [p[2] for p in CONTINUUM_PRIORS]),
            column("max", "E", [p[3] for p in CONTINUUM_PRIORS]),
            column("vary", "J", [p[4] for p in CONTINUUM_PRIORS]),
        ],
        name="CONTI_PRIORS",
    )
    n_wave, n_fe = len(LUMINOSITY_WAVELENGTHS), len(FE_FLUX_RANGES)
    measure_hdu = fits.BinTableHDU.from_columns(
        [
            column("cont_loc", f"{n_wave}E", [LUMINOSITY_WAVELENGTHS]),
            column("Fe_flux_range", f"{2 * n_fe}E", [FE_FLUX_RANGES], dim=f"(2,{n_fe})"),
        ],
        name="MEASURE_INFO",
    )
    fits.HDUList([fits.PrimaryHDU(), line_hdu, window_hdu, prior_hdu, measure_hdu]).writeto(path, overwrite=True)


def read_sdss_spec(path):
    """One spectrum from an SDSS spec file: observed vacuum wavelength, flux and 1-sigma error, redshift, id."""
    from astropy.io import fits

    with fits.open(path) as hdul:
        coadd = hdul["COADD"].data
        # HDU 2 is SPECOBJ in SDSS-I/II files and SPALL in BOSS/eBOSS ones; both carry Z, PLATE, MJD, FIBERID.
        specobj = hdul[2].data
        wave = 10.0 ** np.asarray(coadd["loglam"], dtype=np.float64)
        flux = np.asarray(coadd["flux"], dtype=np.float64)
        err = ivar_to_err(np.asarray(coadd["ivar"], dtype=np.float64))
        z = float(specobj["Z"][0])
        name = f"{int(specobj['PLATE'][0]):04d}-{int(specobj['MJD'][0])}-{int(specobj['FIBERID'][0]):04d}"
    return {"id": name, "z": z, "wave": wave, "flux": flux, "err": err}


def ivar_to_err(ivar):
    # Zero or negative inverse variance marks a bad pixel; error 0 makes PyQSOFit drop it.
    err = np.zeros_like(ivar)
    good = np.isfinite(ivar) & (ivar > 0)
    err[good] = 1.0 / np.sqrt(ivar[good])
    return err


def read_jsonl(path):
    """Spectra from JSON lines, one per line; a bad line becomes a failed spectrum, not a stopped run."""
    with open(path) as f:
        for number, text in enumerate(f, start=1):
            if not text.strip():
                continue
            where = f"{path}:{number}"
            record = {}
            try:
                record = json.loads(text)
                wave = np.asarray(record["wave"], dtype=np.float64)
                flux = np.asarray(record["flux"], dtype=np.float64)
                if "err" in record:
                    err = np.asarray(record["err"], dtype=np.float64)
                elif "ivar" in record:
                    err = ivar_to_err(np.asarray(record["ivar"], dtype=np.float64))
                else:
                    raise ValueError("neither err nor ivar")
                if not (len(wave) == len(flux) == len(err)):
                    raise ValueError(f"wave, flux, err lengths {len(wave)}, {len(flux)}, {len(err)} differ")
                yield {"id": str(record.get("id", where)), "z": float(record["z"]), "wave": wave, "flux": flux,
                       "err": err}
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                name = str(record["id"]) if isinstance(record, dict) and "id" in record else where
                yield {"id": name, "z": None, "error": f"{where}: bad spectrum record {name}: {type(e).__name__}: {e}"}


def read_spectra(paths):
    for path in paths:
        if path.endswith((".jsonl", ".json", ".ndjson")):
            yield from read_jsonl(path)
        elif path.endswith((".fits", ".fits.gz", ".fit")):
            try:
                yield read_sdss_spec(path)
            except (OSError, KeyError, ValueError, IndexError) as e:
                yield {"id": path, "z": None, "error": f"{path}: not an SDSS spec file: {e}"}
        else:
            raise SystemExit(f"pyqsofit_fit: {path}: give .jsonl spectra or SDSS spec .fits files")


def empty_row(spectrum):
    row = {"id": spectrum["id"], "z": spectrum["z"], "ok": False, "reason": None, "seconds": None, "cpu_seconds": None}
    for prefix in BROAD_OUTPUTS.values():
        row[f"{prefix}_br_fwhm"] = None
        row[f"{prefix}_br_ew"] = None
    for name in LUMINOSITY_OUTPUTS.values():
        row[name] = None
    row["sn_conti"] = None
    return row


def positive_or_none(value):
    # PyQSOFit writes -1 (luminosity outside the spectrum) or 0 (no broad component, no FWHM) for "not measured".
    value = float(value)
    return value if np.isfinite(value) and value > 0 else None


def fit_one(QSOFit, spectrum, param_dir):
    row = empty_row(spectrum)
    if "error" in spectrum:
        row["reason"] = spectrum["error"]
        return row
    # PyQSOFit keeps the pixels with err > 0, finite err and flux, and flux != 0; with none left it fails obscurely.
    wave, flux, err = spectrum["wave"], spectrum["flux"], spectrum["err"]
    usable = (err > 0) & np.isfinite(err) & np.isfinite(flux) & (flux != 0) & np.isfinite(wave)
    if not usable.any():
        row["reason"] = f"{spectrum['id']}: no usable pixel (err > 0 and finite, flux finite and not 0)"
        return row
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        q = QSOFit(spectrum["wave"], spectrum["flux"], spectrum["err"], spectrum["z"], path=param_dir)
        q.Fit(name=spectrum["id"], param_file_name="qsopar.fits", save_fits_path=param_dir, **CONFIG)
    except Exception as e:  # PyQSOFit raises anything from IndexError to lmfit's; one bad spectrum must not stop N
        row["seconds"], row["cpu_seconds"] = time.perf_counter() - start, time.process_time() - start_cpu
        row["reason"] = f"{spectrum['id']}: PyQSOFit failed: {type(e).__name__}: {e}"
        return row
    row["seconds"], row["cpu_seconds"] = time.perf_counter() - start, time.process_time() - start_cpu

    conti = dict(zip(q.conti_result_name, q.conti_result))
    for key, name in LUMINOSITY_OUTPUTS.items():
        row[name] = positive_or_none(conti[key]) if key in conti else None
    row["sn_conti"] = positive_or_none(q.SN_ratio_conti)
    lines = dict(zip(q.line_result_name, q.line_result))
    for complex_name, prefix in BROAD_OUTPUTS.items():
        for quantity in ("fwhm", "ew"):
            key = f"{complex_name}_whole_br_{quantity}"
            row[f"{prefix}_br_{quantity}"] = positive_or_none(lines[key]) if key in lines else None
    row["ok"] = True
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", nargs="+", required=True, help="SDSS spec .fits files and/or .jsonl spectra")
    parser.add_argument("--out", required=True, help="JSON lines, one per spectrum")
    parser.add_argument("--limit", type=int, default=None, help="fit only the first N spectra")
    parser.add_argument("--write-params", default=None, help="also keep the parameter file written for PyQSOFit")
    args = parser.parse_args()
    if args.limit is not None and args.limit < 0:
        parser.error(f"--limit must be >= 0, not {args.limit}")

    # Imported after argument parsing so that --help works without PyQSOFit; Agg so that no display is needed.
    t = time.perf_counter()
    import matplotlib

    matplotlib.use("Agg")
    import pyqsofit
    from pyqsofit.PyQSOFit import QSOFit

    import_seconds = time.perf_counter() - t

    n = ok = 0
    fit_seconds = fit_cpu_seconds = 0.0
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pyqsofit-") as param_dir, open(args.out, "w") as out:
        write_parameter_file(os.path.join(param_dir, "qsopar.fits"))
        if args.write_params:
            write_parameter_file(args.write_params)
        for spectrum in read_spectra(args.input):
            if args.limit is not None and n >= args.limit:
                break
            row = fit_one(QSOFit, spectrum, param_dir)
            out.write(json.dumps(row) + "\n")
            out.flush()
            n += 1
            ok += row["ok"]
            fit_seconds += row["seconds"] or 0.0
            fit_cpu_seconds += row["cpu_seconds"] or 0.0
            if not row["ok"]:
                print(f"pyqsofit_fit: {row['reason']}", file=sys.stderr)
    seconds = time.perf_counter() - t_all
    summary = {
        "summary": True,
        "n": n,
        "ok": ok,
        "failed": n - ok,
        "seconds": round(seconds, 3),
        "fit_seconds": round(fit_seconds, 3),
        "spectra_per_s": round(n / seconds, 4) if seconds > 0 else None,
        "fit_cpu_seconds": round(fit_cpu_seconds, 3),
        "seconds_per_fit": round(fit_seconds / ok, 4) if ok else None,
        "import_seconds": round(import_seconds, 3),
        "pyqsofit": pyqsofit.__version__,
        "out": args.out,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
