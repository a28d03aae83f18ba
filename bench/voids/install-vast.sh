#!/usr/bin/env bash
# Builds VAST (DESI-UR/VAST, the reference VoidFinder) from a source checkout and installs it into .venv, for
# bench/voids and the reference runs. VAST's code never enters this repository: give the checkout's path.
#
#   bash bench/voids/install-vast.sh /path/to/VAST        (or VAST_SRC=/path/to/VAST bash bench/voids/install-vast.sh)
#
# Runs `npm run setup:python` first (numpy, Cython, setuptools pinned in python/requirements.txt), then builds VAST's
# Cython extensions against that numpy without build isolation and without VAST's declared dependencies (its viz
# extras are not needed). The source is copied to a temporary folder first, because the build writes .c files and
# build/ beside the sources and the checkout may be read-only. Takes ~2-3 minutes on 2 cores; quick when the same
# source is already installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

src="${1:-${VAST_SRC:-}}"
if [ -z "$src" ] || [ ! -f "$src/setup.py" ] || [ ! -d "$src/python/vast/voidfinder" ]; then
  echo "install-vast: give the path of a VAST source checkout (argument or VAST_SRC); '$src' is not one" >&2
  exit 2
fi
src="$(cd "$src" && pwd)"

bash scripts/setup-python.sh

# The installed copy remembers which source tree (path and a hash of its files) it was built from.
hash="$(cd "$src" && find setup.py pyproject.toml python -type f \( -name '*.py' -o -name '*.pyx' -o -name '*.pxd' -o -name '*.toml' \) -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
stamp=.venv/.skybook-vast
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$src $hash" ] && .venv/bin/python -c 'import vast.voidfinder' 2>/dev/null; then
  echo "install-vast: VAST from $src already installed ($(.venv/bin/python -c 'import vast; print(vast.__version__)'))"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$src/." "$work/vast"
rm -rf "$work/vast/build" "$work/vast/.git"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --no-cache-dir \
  --force-reinstall "$work/vast"
.venv/bin/python -c 'import vast.voidfinder, vast.voidfinder.vflag, vast.voidfinder._voidfinder_cython_find_next'
echo "$src $hash" >"$stamp"
echo "install-vast: VAST $(.venv/bin/python -c 'import vast; print(vast.__version__)') installed from $src"
