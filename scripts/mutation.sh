#!/usr/bin/env bash
# Mutation testing of the pure core (issue 17, docs/testing.md): deliberate small bugs
# (mutants) are put into one target at a time and the unit tests are run against each; a
# mutant the tests do not notice is a survivor.
#
#   scripts/mutation.sh [TARGET...]      TARGET: method, diff, checks, analytics (default: all)
#
# Each target runs in its own copy of the working tree under var/mutation/TARGET (mutmut's
# `mutants/` folder lands there, never in the repository), at the lowest priority with one
# worker (MUTATION_CHILDREN to change). The run ends with one line per target:
#   mutation TARGET: killed/total = NN.N %
# where timeouts count as killed and the equivalent mutants listed in docs/testing.md
# (lines "- `mutant.name`: reason") are left out of the total. Survivors are written to
# var/mutation/TARGET/survivors.txt; `cd var/mutation/TARGET && mutmut show NAME` shows one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
CHILDREN="${MUTATION_CHILDREN:-1}"

# target -> files mutated; tests run (the unit tests that exercise it, so a survivor's run
# does not wait for the PDF and open-data tests that never look at it).
target_files() {
  case "$1" in
    method) echo "riskatlas/method/*" ;;
    diff) echo "riskatlas/document/diff.py" ;;
    checks) echo "riskatlas/document/checks.py" ;;
    analytics) echo "riskatlas/evidence/analytics.py" ;;
    *) return 1 ;;
  esac
}
target_tests() {
  case "$1" in
    method) echo "tests/unit/method tests/unit/document" ;;
    diff) echo "tests/unit/document" ;;
    # Not the workbook's tests: each goes through every check (7 s for its property test), so
    # a run took hours on the shared machine; the checks' own tests must kill their mutants.
    checks) echo "tests/unit/document --ignore=tests/unit/document/test_workbook.py" ;;
    analytics) echo "tests/unit/evidence/test_analytics.py tests/unit/evidence/test_analytics_in_full.py" ;;
  esac
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(method diff checks analytics)
for target in "${targets[@]}"; do
  target_files "$target" >/dev/null || {
    echo "unknown target '$target' (method, diff, checks or analytics)" >&2
    exit 2
  }
done

summaries=()
for target in "${targets[@]}"; do
  work="$ROOT/var/mutation/$target"
  mkdir -p "$work"
  # A fresh run each time: mutmut's own result cache does not see every change to the tests.
  rm -rf "$work/mutants"
  rsync -a --delete --exclude __pycache__ --exclude '*.duckdb*' \
    riskatlas tests examples pyproject.toml "$work/"
  "$PYTHON" - "$work/pyproject.toml" "$(target_files "$target")" $(target_tests "$target") <<'PY'
import re
import sys
from pathlib import Path

path, pattern, *tests = sys.argv[1:]
text = Path(path).read_text(encoding="utf-8")
quoted = ", ".join(f'"{t}"' for t in tests)
text, n = re.subn(
    r"^pytest_add_cli_args_test_selection = .*$",
    f'pytest_add_cli_args_test_selection = [{quoted}]\nonly_mutate = ["{pattern}"]',
    text,
    flags=re.M,
)
if n != 1:
    sys.exit("pyproject.toml: [tool.mutmut] pytest_add_cli_args_test_selection not found")
Path(path).write_text(text, encoding="utf-8")
PY
  echo "==> mutation testing $(target_files "$target") with $(target_tests "$target")"
  (cd "$work" && nice -n 19 "$PYTHON" -m mutmut run --max-children "$CHILDREN" >"$work/run.log" 2>&1) || {
    echo "mutmut failed on $target; see $work/run.log" >&2
    tail -20 "$work/run.log" >&2
    exit 1
  }
  summaries+=("$(cd "$work" && "$PYTHON" "$ROOT/scripts/mutation_score.py" "$target" "$ROOT/docs/testing.md")")
done
printf '%s\n' "${summaries[@]}"
