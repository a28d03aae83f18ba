#!/usr/bin/env bash
# Makes skybook's Python environment: .venv/ at the repository root with exactly python/requirements.txt.
# Also places the quasar templates in .venv/share/skybook/quasar-templates (see below).
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
else
  # A venv made by another Python is rebuilt from scratch; one with other pins is brought to the new pins in place.
  if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "${want#* }" != "$(cut -d' ' -f2 "$stamp")" ]; then
    rm -rf .venv
  fi
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" >"$stamp"
  echo "setup:python: .venv ready ($(.venv/bin/python --version), $requirements)"
fi

# Quasar templates for `fitQuasar(..., { templates })` and `skybook quasar features --templates`: the Yip et al. (2004)
# galaxy and quasar eigenspectra PyQSOFit decomposes host galaxies with, and the Kovacevic, Popovic & Dimitrijevic
# (2010) optical Fe II multiplets, taken from the pinned PyPI wheel fantasy-agn (which redistributes them). Only
# those files are extracted; none is committed to the repository. The stamp names the wheel, so a new pin refetches.
templates=.venv/share/skybook/quasar-templates
wheel=fantasy-agn==1.0.0
if [ -f "$templates/.stamp" ] && [ "$(cat "$templates/.stamp")" = "$wheel" ]; then
  echo "setup:python: quasar templates are up to date ($templates)"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -m pip download --quiet --disable-pip-version-check --no-deps -d "$tmp" "$wheel"
mkdir -p "$templates"
.venv/bin/python - "$tmp" "$templates" <<'PY'
import glob, os, sys, zipfile
src, dest = sys.argv[1], sys.argv[2]
wanted = {
    'fantasy_agn/eigen/gal_eigenspec_Yip2004.fits',
    'fantasy_agn/eigen/qso_eigenspec_Yip2004_global.fits',
    'fantasy_agn/input/feII_model.csv',
    'fantasy_agn/input/feii_IZw1.csv',
    'fantasy_agn/input/uvfe.csv',
}
(wheel,) = glob.glob(os.path.join(src, '*.whl'))
with zipfile.ZipFile(wheel) as z:
    missing = wanted - set(z.namelist())
    if missing:
        sys.exit(f'setup:python: {os.path.basename(wheel)} lacks {sorted(missing)}')
    for name in sorted(wanted):
        with z.open(name) as f, open(os.path.join(dest, os.path.basename(name)), 'wb') as out:
            out.write(f.read())
PY
cat >"$templates/README.md" <<'MD'
# Quasar templates (made by scripts/setup-python.sh; not part of the repository)

Extracted from the PyPI wheel fantasy-agn==1.0.0 (Ilic et al. 2023, FANTASY), which redistributes them:

- gal_eigenspec_Yip2004.fits: galaxy eigenspectra (WAVE, PCA[10]) of Yip et al. 2004, AJ 128, 585.
- qso_eigenspec_Yip2004_global.fits: quasar eigenspectra (WAVE, PCA[50]) of Yip et al. 2004, AJ 128, 2603.
  PyQSOFit decomposes host galaxies with both (Vanden Berk et al. 2006; Shen et al. 2011).
- feII_model.csv: optical Fe II multiplets (group, wavelength, relative intensity) of Kovacevic, Popovic &
  Dimitrijevic 2010, ApJS 189, 15.
- feii_IZw1.csv: the Fe II lines of I Zw 1 that model adds; uvfe.csv: UV Fe II lines.

skybook reads this directory with `loadQuasarTemplates(dir)` (lib/quasar/quasar-templates.ts).
MD
echo "$wheel" >"$templates/.stamp"
echo "setup:python: quasar templates ready ($templates)"
