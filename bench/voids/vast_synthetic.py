"""VAST's VoidFinder on VAST's own synthetic test survey, compared with the truth files beside it.

The survey is the one VAST's python/vast/test/test_VF.py builds (TestVoidFinder.setUp and test_6_find_voids): galaxies
on a grid ra 10..29.5 step 0.5, dec -10..9.5 step 0.5, redshift 0.0005..0.0109 step 0.0001, plus one at
(ra 20, dec 0, z 0); distance Rgal = c z / 100 (redshift distances, h = 1); the galaxies inside four spheres (two
maximals (25,8,0) r 2.5 and (10,3,-1) r 1.5, two holes (24,7.9,0.1) r 2 and (10.5,3.2,-0.5) r 0.5) are removed and
the rest are the wall galaxies. find_voids then runs with the test's hand-made mask (ra cells 10..29, dec cells
-10..9 at resolution 1), distance limits [0, c * 0.0109 / 100], a 1 Mpc/h grid, minimum maximal radius 1 Mpc/h,
1 CPU. VAST shuffles the rows without a seed; this driver uses a seeded shuffle (--seed) so a run can be repeated.

    .venv/bin/python bench/voids/vast_synthetic.py OUTDIR [--truth-dir DIR] [--seed 0]

Before find_voids it runs file_preprocess, generate_mask and filter_galaxies on the same galaxies, as the test's
earlier steps do (they write the output file's PRIMARY keys, MASK, WALL and FIELD; find_voids needs DLIMU there).

Writes into OUTDIR: test_VoidFinder_Output.fits (VAST's file), test_galaxies.txt (the test's input file), galaxies.txt (ra dec redshift Rgal x y z wall, in
the shuffled order VAST got), comparison.json (matches against the truth files); the last stdout line is that JSON.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
from astropy.io import fits
from astropy.table import Table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir")
    parser.add_argument("--truth-dir", default=os.path.join(os.path.dirname(__file__), "../../../shared/fixtures/voids"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from vast.voidfinder import filter_galaxies, find_voids
    from vast.voidfinder.constants import c
    from vast.voidfinder.multizmask import generate_mask
    from vast.voidfinder.preprocessing import file_preprocess

    outdir = os.path.abspath(args.outdir) + "/"
    os.makedirs(outdir, exist_ok=True)

    ra_range = np.arange(10, 30, 0.5)
    dec_range = np.arange(-10, 10, 0.5)
    redshift_range = np.arange(0.0005, 0.011, 0.0001)
    ra, dec, redshift = (np.ravel(a) for a in np.meshgrid(ra_range, dec_range, redshift_range))
    ra, dec, redshift = np.append(ra, 20.0), np.append(dec, 0.0), np.append(redshift, 0.0)
    order = np.random.default_rng(args.seed).permutation(len(ra))
    ra, dec, redshift = ra[order], dec[order], redshift[order]
    rgal = c * redshift / 100.0
    d2r = np.pi / 180.0
    gal = np.column_stack([
        rgal * np.cos(ra * d2r) * np.cos(dec * d2r),
        rgal * np.sin(ra * d2r) * np.cos(dec * d2r),
        rgal * np.sin(dec * d2r),
    ])

    planted = np.array([[24.0, 7.9, 0.1, 2.0], [10.5, 3.2, -0.5, 0.5], [25.0, 8.0, 0.0, 2.5], [10.0, 3.0, -1.0, 1.5]])
    removed = np.zeros(len(gal), dtype=bool)
    for x, y, z, r in planted:
        removed |= ((gal - [x, y, z]) ** 2).sum(axis=1) < r * r
    wall, field = gal[~removed], gal[removed]

    mask = np.zeros((360, 180), dtype=bool)
    for i in range(int(ra_range[0]), int(ra_range[-1] + 1)):
        for j in range(int(dec_range[0] + 90), int(dec_range[-1] + 90) + 1):
            mask[i, j] = True
    dist_limits = np.array([0.0, c * redshift_range[-1] / 100.0])
    coords_min = np.min(np.concatenate([wall, field]), axis=0)

    with open(outdir + "galaxies.txt", "w") as f:
        f.write("# ra dec redshift Rgal x y z wall (rows in the order VAST got them; wall 0 = removed by a planted sphere)\n")
        for k in range(len(gal)):
            f.write(f"{ra[k]!r} {dec[k]!r} {redshift[k]!r} {rgal[k]!r} {gal[k,0]!r} {gal[k,1]!r} {gal[k,2]!r} {int(not removed[k])}\n")

    # VAST's test runs file_preprocess, generate_mask and filter_galaxies first (test_1..test_3); they write the
    # PRIMARY keys (DLIML, DLIMU, ...), MASK, WALL and FIELD that find_voids then completes, so do the same.
    table = Table({"ra": ra, "dec": dec, "redshift": redshift, "Rgal": rgal, "rabsmag": np.full(len(ra), -21.0)})
    table.write(outdir + "test_galaxies.txt", format="ascii.commented_header", overwrite=True)
    t = time.perf_counter()
    file_preprocess("test_galaxies.txt", "test_", outdir, outdir, dist_metric="redshift")
    generate_mask(table, redshift_range[-1], "test_", outdir, dist_metric="redshift", min_maximal_radius=1.0)
    filter_galaxies(table, "test_", outdir, dist_metric="redshift")
    prepare_s = time.perf_counter() - t

    t = time.perf_counter()
    cwd = os.getcwd()
    os.chdir(outdir)
    try:
        find_voids(
            wall, "test_", outdir, grid_origin=coords_min, mask=mask, mask_resolution=1, dist_limits=dist_limits,
            hole_grid_edge_length=1.0, min_maximal_radius=1.0, num_cpus=1, pts_per_unit_volume=0.01,
            SOCKET_PATH=f"/tmp/voidfinder-{os.getpid()}.sock",
        )
    finally:
        os.chdir(cwd)
    find_s = time.perf_counter() - t

    with fits.open(outdir + "test_VoidFinder_Output.fits") as hdul:
        maximals = Table(hdul["MAXIMALS"].data)
        holes = Table(hdul["HOLES"].data)
    truth_max = Table.read(os.path.join(args.truth_dir, "test_galaxies_redshift_maximal_truth.txt"), format="ascii.commented_header")
    truth_holes = Table.read(os.path.join(args.truth_dir, "test_galaxies_redshift_holes_truth.txt"), format="ascii.commented_header")

    result = {
        "vast_version": __import__("vast").__version__, "seed": args.seed,
        "galaxies": int(len(gal)), "wall": int(len(wall)), "field": int(len(field)),
        "dist_limits": [float(v) for v in dist_limits], "prepare_s": prepare_s, "find_s": find_s,
        "maximals": rows(maximals), "truth_maximals": rows(truth_max),
        "maximal_match": match(maximals, truth_max),
        "holes": int(len(holes)), "truth_holes": int(len(truth_holes)),
        "hole_match": match(holes, truth_holes),
        "identical_to_truth": {
            "maximals": same_rows(maximals, truth_max), "holes": same_rows(holes, truth_holes),
        },
    }
    with open(outdir + "comparison.json", "w") as f:
        json.dump(result, f, indent=2)
    sys.stdout.write(json.dumps(result) + "\n")


def rows(table):
    return [{k: (float(v) if isinstance(v, (float, np.floating)) else int(v)) for k, v in zip(table.colnames, r)} for r in table]


def xyz(table):
    return np.column_stack([np.asarray(table[k], dtype=np.float64) for k in ("x", "y", "z")])


def match(found, truth):
    """For each truth sphere the nearest found centre, and how far off centre and radius are."""
    f, t = xyz(found), xyz(truth)
    out = {"worst_centre": 0.0, "worst_radius": 0.0, "worst_centre_over_r": 0.0}
    for k in range(len(t)):
        d = np.sqrt(((f - t[k]) ** 2).sum(axis=1))
        j = int(np.argmin(d))
        dr = abs(float(found["radius"][j]) - float(truth["radius"][k]))
        out["worst_centre"] = max(out["worst_centre"], float(d[j]))
        out["worst_radius"] = max(out["worst_radius"], dr)
        out["worst_centre_over_r"] = max(out["worst_centre_over_r"], float(d[j]) / float(truth["radius"][k]))
    return out


def same_rows(found, truth):
    if len(found) != len(truth):
        return False
    a = np.column_stack([xyz(found), np.asarray(found["radius"])])
    b = np.column_stack([xyz(truth), np.asarray(truth["radius"])])
    a, b = a[np.lexsort(a.T[::-1])], b[np.lexsort(b.T[::-1])]
    return bool(np.allclose(a, b, rtol=0, atol=1e-9))


if __name__ == "__main__":
    main()
