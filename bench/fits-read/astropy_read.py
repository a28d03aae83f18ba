#!/usr/bin/python3
"""The anchor of the FITS read benchmark: astropy reads the table, then sums every column.

Usage: /usr/bin/python3 astropy_read.py FILE [--hdu 1] [--column NAME]

Full mode: `Table.read(FILE, hdu=1)`, then per column: exact integer sums (int64 through 32-bit halves, so nothing
wraps), `nansum` in float64 for floats, the count of True for logicals, the count of values for strings.
`--column NAME`: memory-maps the file and copies one column into a native array (astropy's fastest one-column read).
Prints one JSON line: seconds (read + sums), read and sum seconds, peak RSS in bytes, rows, and the sums.
Timings exclude the interpreter start and the astropy import.
"""
import argparse
import json
import resource
import sys
import time
import warnings

import numpy as np
from astropy.io import fits
from astropy.table import Table


def exact_int_sum(a):
    if a.dtype.itemsize == 8:
        # hi halves keep their sign; lo halves are unsigned; both sums fit in int64 for any realistic row count
        hi = int((a >> 32).sum(dtype=np.int64))
        lo = int((a & 0xFFFFFFFF).sum(dtype=np.int64))
        return hi * 2**32 + lo
    return int(a.sum(dtype=np.int64))


def column_summary(col):
    a = col.data
    if isinstance(a, np.ma.MaskedArray):
        a = a.data  # Table.read masks NaNs (and empty strings); the raw values hold them
    kind = a.dtype.kind
    if kind == "b":
        return {"count": int(a.size), "countTrue": int(np.count_nonzero(a))}
    if kind in "iu":
        return {"count": int(a.size), "sum": str(exact_int_sum(a))}
    if kind == "f":
        return {"count": int(a.size), "sum": float(np.nansum(a, dtype=np.float64))}
    return {"count": int(a.size)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--hdu", type=int, default=1)
    ap.add_argument("--column")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    out = {"tool": "astropy", "astropy": __import__("astropy").__version__, "numpy": np.__version__}
    if args.column:
        t0 = time.perf_counter()
        with fits.open(args.file, memmap=True) as hdul:
            z = np.array(hdul[args.hdu].data[args.column], dtype=np.float64)
        t1 = time.perf_counter()
        out.update(mode="column", seconds=t1 - t0, rows=int(z.shape[0]), sum=float(np.nansum(z)))
    else:
        t0 = time.perf_counter()
        table = Table.read(args.file, hdu=args.hdu)
        t1 = time.perf_counter()
        sums = {name: column_summary(table[name]) for name in table.colnames}
        t2 = time.perf_counter()
        out.update(mode="full", seconds=t2 - t0, readSeconds=t1 - t0, sumSeconds=t2 - t1, rows=len(table), columns=sums)
    out["maxRssBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
