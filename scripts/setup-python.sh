#!/usr/bin/env bash
# Makes skybook's Python environment: .venv/ at the repository root with exactly python/requirements.txt.
# Idempotent and quick when up to date: a stamp in .venv records the hash of the requirements and the Python
# version it was made with; when both still match, nothing is done. `npm run setup:python` runs it; .ci/run calls it.
# PYTHON=/path/to/python3 picks another interpreter (default: the first python3 on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

python="${PYTHON:-python3}"
requirements=python/requirements.txt
stamp=.venv/.skybook-requirements
want="$(sha256sum "$requirements" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0])')"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/python ]; then
  echo "setup:python: .venv is up to date ($requirements)"
  exit 0
fi

# A venv made by another Python is rebuilt from scratch; one with other pins is brought to the new pins in place.
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "${want#* }" != "$(cut -d' ' -f2 "$stamp")" ]; then
  rm -rf .venv
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
echo "$want" >"$stamp"
echo "setup:python: .venv ready ($(.venv/bin/python --version), $requirements)"
