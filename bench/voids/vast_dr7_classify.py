"""VAST's per-galaxy environment flag (vflag) for every row of a galaxy catalogue, against a VoidFinder output file.

vflag.determine_vflag(x, y, z, HOLES, MASK, MSKRES, DLIML, DLIMU) one galaxy at a time, as VAST's
example_scripts/classifyEnvironment.py does, with DLIML/DLIMU read from the file's PRIMARY header. Where each galaxy
is (--positions) decides the flags of the galaxies that bound holes (they lie on hole surfaces, so a float32 ulp
moves them in or out):
- find (default): VAST's own positions of the galaxies, as its VoidFinder placed them (file_preprocess's float32
  comoving distance from z_to_comoving_dist, then voidfinder.ra_dec_to_xyz on the file's float32 ra/dec: float32
  x = r cos(ra) cos(dec) ...), the coordinates in its WALL and FIELD tables;
- example: classifyEnvironment.py's arithmetic on the same float32 table (x = r cos(dec) cos(ra), float32);
- float64: ra/dec cast to float64 first (the example's arithmetic on a text catalogue of the same values).

    .venv/bin/python bench/voids/vast_dr7_classify.py GALAXIES.fits VOIDS.fits OUT.txt [--omega-m 0.26] [--h 1]
        [--redshift-column z] [--positions find|example|float64] [--rows N]

OUT.txt holds `row vflag surface` per input row (vflag 1 void, 0 wall, 2 edge, 9 outside; surface 1 when the galaxy
lies within 1e-4 Mpc/h of a hole's surface, computed after the timed loop); OUT.json the counts and timing. --rows N
classifies only the first N rows (a quick estimate of the per-galaxy cost); the last stdout line is the JSON.
"""

import argparse
import json
import sys
import time

import numpy as np
from astropy.io import fits
from astropy.table import Table


# A galaxy this close to a hole's surface bounds the hole (VoidFinder grows each hole until 4 galaxies lie on it): its
# vflag is decided by rounding (d < R with d == R up to ~1e-15 at VAST's own positions), so the bench reports
# agreement with and without these rows.
SURFACE = 1e-4


def on_hole_surface(xyz, holes, tol):
    """Rows within tol of some hole's surface (| |p - c| - R | < tol), found hole by hole with a k-d tree."""
    from sklearn.neighbors import KDTree

    tree = KDTree(xyz)
    centres = np.column_stack([np.asarray(holes[c], dtype=np.float64) for c in ("x", "y", "z")])
    radii = np.asarray(holes["radius"], dtype=np.float64)
    out = np.zeros(len(xyz), dtype=bool)
    for c, r in zip(centres, radii):
        idx = tree.query_radius(c[None, :], r + tol)[0]
        if len(idx):
            d = np.sqrt(((xyz[idx] - c) ** 2).sum(axis=1))
            out[idx[np.abs(d - r) < tol]] = True
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("galaxies")
    parser.add_argument("voids")
    parser.add_argument("out")
    parser.add_argument("--omega-m", type=float, default=0.26)
    parser.add_argument("--h", type=float, default=1.0)
    parser.add_argument("--redshift-column", default="z")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--positions", default="find", choices=["find", "example", "float64"])
    args = parser.parse_args()

    from vast.voidfinder import ra_dec_to_xyz
    from vast.voidfinder.distance import z_to_comoving_dist
    from vast.voidfinder.vflag import determine_vflag

    t_load = time.perf_counter()
    with fits.open(args.galaxies) as hdul:
        galaxies = Table(hdul[1].data)
    if args.rows is not None:
        galaxies = galaxies[: args.rows]
    with fits.open(args.voids) as catalog:
        holes = Table(catalog["HOLES"].data)
        mask = catalog["MASK"].data
        mask_resolution = catalog["MASK"].header["MSKRES"]
        rmin, rmax = catalog["PRIMARY"].header["DLIML"], catalog["PRIMARY"].header["DLIMU"]
    load_s = time.perf_counter() - t_load

    t_xyz = time.perf_counter()
    rgal = z_to_comoving_dist(np.asarray(galaxies[args.redshift_column], dtype=np.float32), args.omega_m, args.h)
    d2r = np.pi / 180
    if args.positions == "find":
        galaxies["Rgal"] = rgal
        xyz = ra_dec_to_xyz(galaxies, "comoving", args.h)
        x, y, z = xyz[:, 0], xyz[:, 1], xyz[:, 2]
    else:
        dtype = np.float64 if args.positions == "float64" else None
        ra = np.asarray(galaxies["ra"], dtype=dtype)
        dec = np.asarray(galaxies["dec"], dtype=dtype)
        x = rgal * np.cos(dec * d2r) * np.cos(ra * d2r)
        y = rgal * np.cos(dec * d2r) * np.sin(ra * d2r)
        z = rgal * np.sin(dec * d2r)
    xyz_s = time.perf_counter() - t_xyz

    t = time.perf_counter()
    vflag = np.empty(len(galaxies), dtype=np.int64)
    for i in range(len(galaxies)):
        vflag[i] = determine_vflag(x[i], y[i], z[i], holes, mask, mask_resolution, rmin, rmax)
    classify_s = time.perf_counter() - t

    surface = on_hole_surface(np.column_stack([x, y, z]).astype(np.float64), holes, SURFACE)
    with open(args.out, "w") as f:
        f.write(f"# row vflag (1 void, 0 wall, 2 edge, 9 outside) surface (1: within {SURFACE} Mpc/h of a hole's surface)\n")
        for row, flag in enumerate(vflag):
            f.write(f"{row} {flag} {int(surface[row])}\n")
    counts = {str(k): int(v) for k, v in zip(*np.unique(vflag, return_counts=True))}
    result = {
        "vast_version": __import__("vast").__version__,
        "galaxies": args.galaxies, "voids": args.voids, "rows": int(len(galaxies)),
        "omega_m": args.omega_m, "h": args.h, "positions": args.positions, "position_dtype": str(np.asarray(x).dtype), "dist_limits": [float(rmin), float(rmax)],
        "mask_resolution": int(mask_resolution), "holes": int(len(holes)),
        "counts": counts, "on_surface": int(surface.sum()), "on_surface_tolerance": SURFACE, "load_s": load_s, "xyz_s": xyz_s, "classify_s": classify_s,
    }
    with open(args.out.rsplit(".", 1)[0] + ".json", "w") as f:
        json.dump(result, f, indent=2)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
