#!/usr/bin/env bash
# Issue 12's robustness check: the full test suite N times in a row (default 5) in one clone while another clone runs
# the full suite in a loop beside it, both from this checkout's HEAD, sharing this machine's PostgreSQL.
#   bash scripts/stress-tests.sh [RUNS] [WORKDIR]      (WORKDIR default: a new folder under /tmp)
# Prints one line per finished run (side, number, exit code, seconds, vitest's Tests line); exit 0 when every run of
# side A passed. Each clone gets its own `npm ci`; the logs stay in WORKDIR.
set -u
runs=${1:-5}
work=${2:-$(mktemp -d /tmp/skybook-stress-XXXXXX)}
root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
head=$(git -C "$root" rev-parse --short HEAD)
mkdir -p "$work"
for side in a b; do
  rm -rf "$work/$side"
  git clone -q "$root" "$work/$side"
  (cd "$work/$side" && npm ci --no-audit --no-fund > "$work/$side-npm-ci.log" 2>&1) || { echo "npm ci failed in $work/$side"; exit 1; }
  # The project's Python environment, as CI has it (tests that need it skip without it).
  [ -d "$root/.venv" ] && ln -s "$root/.venv" "$work/$side/.venv"
done
echo "stress at $head in $work: side A $runs runs, side B looping"
line() { echo "$(date -u +%T) $1 run $2 rc $3 $4s $(grep -E '^ +Tests ' "$5" | tail -1 | sed 's/\x1b\[[0-9;]*m//g')"; }
( cd "$work/b"; n=0
  while [ ! -f "$work/a-done" ]; do
    n=$((n + 1)); s=$(date +%s); npm test > "$work/b-$n.log" 2>&1; rc=$?
    line B "$n" "$rc" "$(( $(date +%s) - s ))" "$work/b-$n.log"
  done ) &
failed=0
cd "$work/a"
for n in $(seq 1 "$runs"); do
  s=$(date +%s); npm test > "$work/a-$n.log" 2>&1; rc=$?
  line A "$n" "$rc" "$(( $(date +%s) - s ))" "$work/a-$n.log"
  [ "$rc" = 0 ] || failed=1
done
touch "$work/a-done"
wait
exit $failed
