"""skybook's fan-out driver: one Ray task per shard, each running a shell command, bounded retries, one status line
per shard as it ends.

    python fanout.py SPEC.json

SPEC.json (written by `skybook ray fanout`): {"shards": [{"shard": PATH, "out": PATH, "command": LINE}, ...],
"retries": N, "num_cpus": N, "resources": {...}}. Tasks are spread over the cluster's nodes (SPREAD). A shard whose
command exits non-zero is run again, up to `retries` more times, on any node. Each shard's outcome is printed as it
ends, as one line `SKYBOOK_SHARD {"index", "shard", "out", "status", "attempts", "node", "seconds", "code", "error"}`,
and the run ends with `SKYBOOK_FANOUT {"ok", "failed"}`; the driver exits 1 when any shard failed for good, so the job
is FAILED and its shards' lines say which.
"""

import json
import subprocess
import sys
import time

import ray


@ray.remote
def run_shard(command: str) -> dict:
    started = time.time()
    proc = subprocess.run(command, shell=True, capture_output=True, text=True)
    ctx = ray.get_runtime_context()
    return {
        "code": proc.returncode,
        "error": (proc.stderr.strip().splitlines() or [""])[-1][:2000] if proc.returncode else None,
        "node": ctx.get_node_id(),
        "seconds": round(time.time() - started, 3),
    }


def main() -> int:
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    shards = spec["shards"]
    retries = int(spec.get("retries", 0))
    options = {"num_cpus": spec.get("num_cpus", 1), "scheduling_strategy": "SPREAD", "max_retries": 0}
    if spec.get("resources"):
        options["resources"] = spec["resources"]
    ray.init()
    task = run_shard.options(**options)
    pending = {task.remote(s["command"]): (i, 1) for i, s in enumerate(shards)}
    ok = failed = 0
    while pending:
        [ref], _ = ray.wait(list(pending), num_returns=1)
        index, attempt = pending.pop(ref)
        try:
            result = ray.get(ref)
        except Exception as e:  # the task itself died (its worker or node lost)
            result = {"code": None, "error": f"task lost: {type(e).__name__}: {e}"[:2000], "node": None, "seconds": None}
        if result["code"] != 0 and attempt <= retries:
            pending[task.remote(shards[index]["command"])] = (index, attempt + 1)
            continue
        status = "ok" if result["code"] == 0 else "failed"
        ok += status == "ok"
        failed += status == "failed"
        line = {"index": index, "shard": shards[index]["shard"], "out": shards[index]["out"], "status": status, "attempts": attempt, **result}
        print("SKYBOOK_SHARD " + json.dumps(line), flush=True)
    print("SKYBOOK_FANOUT " + json.dumps({"ok": ok, "failed": failed}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
