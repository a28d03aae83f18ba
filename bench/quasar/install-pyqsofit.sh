#!/usr/bin/env bash
# Installs PyQSOFit (legolason/PyQSOFit, the reference quasar-spectrum fitter) from a source checkout into .venv, for
# bench/quasar and the reference fits. PyQSOFit's code never enters this repository: give the checkout's path.
#
#   bash bench/quasar/install-pyqsofit.sh /path/to/PyQSOFit      (or PYQSOFIT_SRC=/path/to/PyQSOFit bash ...)
#
# Runs `npm run setup:python` first (PyQSOFit's runtime is pinned in python/requirements.txt), then installs
# PyQSOFit itself without its declared dependencies (its setup.py asks for unpinned emcee, corner, tqdm and
# multiprocess, which a plain fit never imports) and without build isolation (it is pure Python; setuptools is pinned).
# The source is copied to a temporary folder first, because the build writes build/ and *.egg-info beside the sources
# and the checkout may be read-only. Its SFD dust maps (src/pyqsofit/sfddata/*.fits) may be absent from a checkout that
# skipped large files; bench/quasar/pyqsofit_fit.py does not deredden, so it does not need them.
set -euo pipefail
cd "$(dirname "$0")/../.."

src="${1:-${PYQSOFIT_SRC:-}}"
if [ -z "$src" ] || [ ! -f "$src/setup.py" ] || [ ! -f "$src/src/pyqsofit/PyQSOFit.py" ]; then
  echo "install-pyqsofit: give the path of a PyQSOFit source checkout (argument or PYQSOFIT_SRC); '$src' is not one" >&2
  exit 2
fi
src="$(cd "$src" && pwd)"

bash scripts/setup-python.sh

# The installed copy remembers which source tree (path and a hash of its files) it was installed from.
hash="$(cd "$src" && find setup.py requirements.txt src -type f \( -name '*.py' -o -name '*.txt' \) -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
stamp=.venv/.skybook-pyqsofit
check='import matplotlib; matplotlib.use("Agg"); import pyqsofit, pyqsofit.PyQSOFit; print(pyqsofit.__version__)'
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$src $hash" ] && version="$(.venv/bin/python -c "$check" 2>/dev/null)"; then
  echo "install-pyqsofit: PyQSOFit $version from $src already installed"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$src/." "$work/pyqsofit"
rm -rf "$work/pyqsofit/build" "$work/pyqsofit/.git" "$work/pyqsofit"/*.egg-info "$work/pyqsofit"/src/*.egg-info
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --no-cache-dir \
  --force-reinstall "$work/pyqsofit"
version="$(.venv/bin/python -c "$check")"
echo "$src $hash" >"$stamp"
echo "install-pyqsofit: PyQSOFit $version installed from $src"
