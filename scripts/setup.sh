# Shared by scripts/demo.sh and scripts/test.sh: create .venv with Python 3.11+ and install
# riskatlas into it (again only when pyproject.toml changed). Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3 python; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  echo "riskatlas needs Python 3.11 or newer; none found (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  PY="$(find_python)"
  echo "==> creating $VENV with $("$PY" --version)"
  "$PY" -m venv "$VENV"
fi
STAMP="$VENV/.riskatlas-installed"
WANT="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)-${RISKATLAS_EXTRAS:-dev}"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  echo "==> installing riskatlas and its dependencies into .venv"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[${RISKATLAS_EXTRAS:-dev}]"
  echo "$WANT" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"

# Front-end packages (Leaflet, htmx, admin-1 boundaries) from npm with the lockfile; the web
# app works without them (no map polygons), so a machine without npm only gets a warning.
if command -v npm >/dev/null 2>&1; then
  NPM_STAMP="node_modules/.riskatlas-installed"
  NPM_WANT="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$NPM_STAMP" ] || [ "$(cat "$NPM_STAMP")" != "$NPM_WANT" ]; then
    echo "==> installing front-end packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$NPM_WANT" > "$NPM_STAMP"
    rm -rf var/boundaries
  fi
  if [ ! -f var/boundaries/PE.geojson ]; then
    echo "==> building map boundaries"
    riskatlas maps build
  fi
else
  echo "warning: npm not found: maps will show places and incidents without area outlines" >&2
fi
