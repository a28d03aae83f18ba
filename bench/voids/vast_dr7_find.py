"""VAST's VoidFinder on a galaxy catalogue, run the way VAST's example_scripts/SDSS_VoidFinder_dr7.py runs it.

The anchor for bench/voids and for lib/voids' DR7 acceptance checks: it imports the VAST installed in .venv
(bench/voids/install-vast.sh) and writes VAST's own output FITS, the per-row wall/field split and the time of each stage.

    .venv/bin/python bench/voids/vast_dr7_find.py GALAXIES.fits OUTDIR [--zmax 0.1026] [--omega-m 0.26] [--h 1]
        [--cell 5] [--min-maximal 10] [--num-cpus 1]

Writes into OUTDIR: <name>_VoidFinder_Output.fits (VAST's file: PRIMARY, MASK, WALL, FIELD, MAXIMALS, HOLES),
galaxy_split.txt (row, class: 0 wall, 1 field, -1 outside the distance limits) and find_timing.json; the last line
on stdout is the same timing JSON.
"""

import argparse
import json
import os
import resource
import sys
import time

import numpy as np
from astropy.io import fits
from astropy.table import Table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("galaxies")
    parser.add_argument("outdir")
    parser.add_argument("--name", default="vollim_dr7_cbp_102709_")
    parser.add_argument("--zmin", type=float, default=0.0)
    parser.add_argument("--zmax", type=float, default=0.1026)
    parser.add_argument("--omega-m", type=float, default=0.26)
    parser.add_argument("--h", type=float, default=1.0)
    parser.add_argument("--dist-metric", default="comoving", choices=["comoving", "redshift"])
    parser.add_argument("--redshift-column", default="z")
    parser.add_argument("--cell", type=float, default=5.0)
    parser.add_argument("--min-maximal", type=float, default=10.0)
    parser.add_argument("--num-cpus", type=int, default=1)
    args = parser.parse_args()

    # Imported after argument parsing so that --help works without VAST.
    from vast.voidfinder import filter_galaxies, find_voids
    from vast.voidfinder.multizmask import generate_mask
    from vast.voidfinder.preprocessing import file_preprocess

    outdir = os.path.abspath(args.outdir) + "/"
    os.makedirs(outdir, exist_ok=True)
    galaxies = os.path.abspath(args.galaxies)
    stages = {}
    t_all = time.perf_counter()

    # Each stage as SDSS_VoidFinder_dr7.py calls it. The catalogue is volume-limited and has no rabsmag column, so
    # no magnitude cut; its redshift column is `z`.
    t = time.perf_counter()
    table, dist_limits = file_preprocess(
        os.path.basename(galaxies), args.name, os.path.dirname(galaxies) + "/", outdir,
        mag_cut=False, dist_metric=args.dist_metric, min_z=args.zmin, max_z=args.zmax,
        Omega_M=args.omega_m, h=args.h, redshift_name=args.redshift_column,
    )
    stages["preprocess"] = time.perf_counter() - t

    t = time.perf_counter()
    mask, mask_resolution = generate_mask(
        table, args.zmax, args.name, outdir, dist_metric=args.dist_metric, smooth_mask=True,
        min_maximal_radius=args.min_maximal, Omega_M=args.omega_m, h=args.h,
    )
    stages["mask"] = time.perf_counter() - t

    t = time.perf_counter()
    wall, field = filter_galaxies(
        table, args.name, outdir, dist_limits=dist_limits, mag_cut=False, dist_metric=args.dist_metric, h=args.h,
    )
    stages["filter_galaxies"] = time.perf_counter() - t

    coords_min = np.min(np.concatenate([wall, field]), axis=0)
    t = time.perf_counter()
    find_voids(
        wall, args.name, outdir, mask_type="ra_dec_z", mask=mask, mask_resolution=mask_resolution,
        dist_limits=dist_limits, grid_origin=coords_min, hole_grid_edge_length=args.cell,
        min_maximal_radius=args.min_maximal, verbose=1, num_cpus=args.num_cpus,
        SOCKET_PATH=f"/tmp/voidfinder-{os.getpid()}.sock",
    )
    stages["find_voids"] = time.perf_counter() - t
    total = time.perf_counter() - t_all

    # Which input row became a wall or a field galaxy: filter_galaxies keeps rows in input order, so match the
    # returned coordinates back to the rows inside the distance limits.
    split = split_by_row(table, dist_limits, args.dist_metric, args.h, wall, field)
    with open(outdir + "galaxy_split.txt", "w") as f:
        f.write("# row class (0 wall, 1 field, -1 outside the distance limits)\n")
        for row, cls in enumerate(split):
            f.write(f"{row} {cls}\n")

    out_fits = outdir + args.name + "VoidFinder_Output.fits"
    with fits.open(out_fits) as hdul:
        n_max = len(hdul["MAXIMALS"].data)
        n_holes = len(hdul["HOLES"].data)
    result = {
        "vast_version": __import__("vast").__version__,
        "galaxies": galaxies,
        "settings": {k: v for k, v in vars(args).items() if k not in ("galaxies", "outdir")},
        "dist_limits": [float(dist_limits[0]), float(dist_limits[1])],
        "mask_resolution": int(mask_resolution),
        "wall": int(len(wall)), "field": int(len(field)),
        "maximals": n_max, "holes": n_holes,
        "stages_s": stages, "total_s": total,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "output": out_fits,
    }
    with open(outdir + "find_timing.json", "w") as f:
        json.dump(result, f, indent=2)
    sys.stdout.write(json.dumps(result) + "\n")


def split_by_row(table, dist_limits, dist_metric, h, wall, field):
    from vast.voidfinder import ra_dec_to_xyz

    if dist_metric == "comoving":
        r = np.asarray(table["Rgal"])
    else:
        from vast.voidfinder.constants import c

        r = c * np.asarray(table["redshift"]) / (100 * h)
    inside = np.flatnonzero((r >= dist_limits[0]) & (r <= dist_limits[1]))
    xyz = ra_dec_to_xyz(table[inside], dist_metric, h)
    split = np.full(len(table), -1, dtype=np.int64)
    wall_keys = {tuple(p) for p in np.asarray(wall)}
    field_keys = {tuple(p) for p in np.asarray(field).reshape(-1, 3)}
    for row, p in zip(inside, xyz):
        key = tuple(p)
        if key in wall_keys:
            split[row] = 0
        elif key in field_keys:
            split[row] = 1
        else:
            raise SystemExit(f"row {row}: coordinates {key} are in neither VAST's wall nor its field")
    if (split == 0).sum() != len(wall) or (split == 1).sum() != len(field):
        raise SystemExit("duplicate coordinates: the row split does not add up to VAST's wall/field counts")
    return split


if __name__ == "__main__":
    main()
