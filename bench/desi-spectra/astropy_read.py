#!/usr/bin/python3
"""The anchor of the DESI spectra benchmark: astropy.io.fits reads some TARGETIDs' spectra from a coadd.

Usage: /usr/bin/python3 astropy_read.py COADD IDS_FILE [--memmap default|on|off]

What a scientist writes with astropy: open the file, find the FIBERMAP rows whose TARGETID is in the list
(np.isin on the TARGETID column), slice those rows out of FIBERMAP (every column converted to an array) and out of
every arm's FLUX, IVAR, MASK and RESOLUTION images, and take the WAVELENGTH arrays. Timed: open, index, slices,
close; not the interpreter start, the imports, reading IDS_FILE or the hashing.
Prints one JSON line: seconds, CPU seconds (user + system), peak RSS in bytes, nspec, and the sha256 of every array in the byte order
hashes.ts uses (numbers little-endian in their own type, strings UTF-8 joined by NUL, logicals one byte 0/1).
"""
import argparse
import hashlib
import json
import resource
import sys
import time
import warnings

import numpy as np
from astropy.io import fits


def unsigned_rows(h, rows, raw):
    """Rows of an image HDU; with raw pixels (do_not_scale_image_data), the int32 + BZERO 2**31 MASK becomes uint32."""
    a = h.data[rows]
    if raw and h.header.get("BZERO", 0) == 2**31 and a.dtype.kind == "i" and a.dtype.itemsize == 4:
        # adding 2**31 modulo 2**32 is flipping the sign bit: what BZERO-unsigned storage means
        a = a.view(a.dtype.newbyteorder(">").str.replace("i", "u")) ^ np.uint32(0x80000000)
    return a


# --memmap: default = fits.open(path) (memmap=None: maps the file, but reads and scales the whole BZERO-unsigned MASK
# images); on = memmap=True, which refuses scaled images, so MASK is read raw and unsigned by hand for the rows only
# (the fastest astropy can do); off = memmap=False (every .data read in full).
OPEN_ARGS = {"default": {}, "on": {"memmap": True, "do_not_scale_image_data": True}, "off": {"memmap": False}}


def read(path, ids, mode):
    raw = mode == "on"
    with fits.open(path, **OPEN_ARGS[mode]) as hdul:
        fm_hdu = hdul["FIBERMAP"]
        rows = np.nonzero(np.isin(fm_hdu.data["TARGETID"], ids))[0]
        fm = fm_hdu.data[rows]
        fibermap = {name: np.array(fm[name]) for name in fm.names}
        arms = {}
        for h in hdul:
            if not h.name.endswith("_WAVELENGTH"):
                continue
            b = h.name[: -len("_WAVELENGTH")]
            arms[b] = {
                "WAVELENGTH": np.array(h.data),
                "FLUX": hdul[b + "_FLUX"].data[rows],
                "IVAR": hdul[b + "_IVAR"].data[rows],
                "MASK": unsigned_rows(hdul[b + "_MASK"], rows, raw),
                "RESOLUTION": hdul[b + "_RESOLUTION"].data[rows],
            }
    return rows, fibermap, arms


def sha(b):
    return hashlib.sha256(b).hexdigest()


def le_bytes(a):
    a = np.asarray(a)
    return np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")).tobytes()


def column_hash(a):
    kind = a.dtype.kind
    if kind in "SU":
        vals = [v.decode("ascii") if isinstance(v, bytes) else str(v) for v in a.tolist()]
        return sha("\0".join(v.rstrip(" ") for v in vals).encode("utf8"))
    if kind == "b":
        return sha(a.astype(np.uint8).tobytes())
    return sha(le_bytes(a))


def hashes(fibermap, arms):
    out = {"TARGETID": sha(le_bytes(fibermap["TARGETID"].astype(np.int64)))}
    for b, arm in arms.items():
        for k, v in arm.items():
            out[f"{b}_{k}"] = sha(le_bytes(v))
    for name, a in fibermap.items():
        out[f"FIBERMAP.{name}"] = column_hash(a)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("ids")
    ap.add_argument("--memmap", choices=list(OPEN_ARGS), default="default")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    with open(args.ids) as f:
        ids = np.array([int(line) for line in f if line.strip()], dtype=np.int64)
    c0 = time.process_time()
    t0 = time.perf_counter()
    rows, fibermap, arms = read(args.file, ids, args.memmap)
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    out = {
        "tool": "astropy",
        "memmap": args.memmap,
        "astropy": __import__("astropy").__version__,
        "numpy": np.__version__,
        "seconds": seconds,
        "cpuSeconds": cpu_seconds,
        "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "nspec": int(rows.size),
        "dtypes": {f"{b}_{k}": str(v.dtype) for b, arm in arms.items() for k, v in arm.items()},
        "hashes": hashes(fibermap, arms),
    }
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
