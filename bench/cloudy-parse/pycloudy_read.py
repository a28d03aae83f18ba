"""bench/cloudy-parse's anchor: pyCloudy's reader (PyPI pycloudy) on the same files as skybook's parsers.

    python pycloudy_read.py DIR N BIG_OUT
reads DIR/model-000 .. model-(N-1) with pyCloudy's CloudyModel (its .out and .cont; its .ovr and .emis with its generic
read_outputs: CloudyModel's own overview init wants C17+'s Tau912 column, its emissivity init a .rad file), then BIG_OUT (the largest fixture .out, main output only; the median of 15 reads),
and prints {"models_seconds", "models", "out_seconds", "lines"} as JSON. Timing includes nothing but the reads.
"""
import json
import logging
import sys
import time

import pyCloudy as pc

pc.log_.level = 0
logging.disable(logging.CRITICAL)

folder, n, big = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t0 = time.perf_counter()
zones = 0
for i in range(n):
    m = pc.CloudyModel(f"{folder}/model-{i:03d}", read_rad=False, read_phy=False, read_ovr=False, read_emis=False, read_cont=True)
    # CloudyModel's overview init wants a Tau912 column (C17+ layouts only) and its emissivity init a .rad file these
    # models did not save: pyCloudy's generic reader (numpy genfromtxt with the header's names) reads both tables.
    ovr = m.read_outputs("ovr")
    emis = m.read_outputs("emis")
    zones += len(ovr)
models_seconds = time.perf_counter() - t0
# The largest .out, read 15 times: the median, as a single 3 ms read is mostly noise on a shared machine.
times = []
for _ in range(15):
    t0 = time.perf_counter()
    # The 2019 trunk banner carries no version number: pyCloudy needs it given (a C17-era layout).
    m = pc.CloudyModel(big.removesuffix(".out"), read_all_ext=False, cloudy_version_major=17)
    times.append(time.perf_counter() - t0)
out_seconds = sorted(times)[len(times) // 2]
print(json.dumps({"models_seconds": models_seconds, "models": n, "zones": zones, "out_seconds": out_seconds, "lines": len(m.line_labels) if hasattr(m, "line_labels") else None}))
