#!/usr/bin/env bash
# The survivors of a target's last mutation run (scripts/mutation.sh), run again against the
# tests as they are now, typically the tests written for them (docs/testing.md):
#
#   scripts/mutation_survivors.sh TARGET...     TARGET: method, diff, checks, analytics
#
# Only the mutants listed in var/mutation/TARGET/survivors.txt are run again; the others keep
# their result (a test added cannot bring a killed mutant back). Refused when the target's code
# has changed since that run: its mutants are no longer the same, so run it in full. Ends, as
# scripts/mutation.sh does, with `mutation TARGET: killed/total = NN.N %` for the whole target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
CHILDREN="${MUTATION_CHILDREN:-1}"

[ $# -gt 0 ] || { echo "usage: scripts/mutation_survivors.sh TARGET..." >&2; exit 2; }
summaries=()
for target in "$@"; do
  work="$ROOT/var/mutation/$target"
  [ -f "$work/survivors.txt" ] && [ -d "$work/mutants" ] || {
    echo "no finished run of '$target' to take the survivors from: scripts/mutation.sh $target" >&2
    exit 1
  }
  # The files mutated, as the run's copy of pyproject.toml names them (only_mutate).
  pattern=$(sed -n 's/^only_mutate = \["\(.*\)"\]$/\1/p' "$work/pyproject.toml")
  [ -n "$pattern" ] || { echo "$work/pyproject.toml names no only_mutate" >&2; exit 1; }
  for file in $pattern; do
    cmp -s "$file" "$work/$file" || {
      echo "$file changed since the last run of $target: run scripts/mutation.sh $target" >&2
      exit 1
    }
  done
  names=$(cut -f2 "$work/survivors.txt")
  echo "==> $(grep -c . "$work/survivors.txt" || true) survivors of $target, against the tests as they are now"
  if [ -n "$names" ]; then
    # mutmut runs the tests from its copy under mutants/: both copies take the tests of now.
    rsync -a --delete --exclude __pycache__ tests/ "$work/tests/"
    rsync -a --delete --exclude __pycache__ tests/ "$work/mutants/tests/"
    # shellcheck disable=SC2086
    (cd "$work" && nice -n 19 "$PYTHON" -m mutmut run --max-children "$CHILDREN" $names \
      >"$work/survivors.log" 2>&1) || {
      echo "mutmut failed on $target; see $work/survivors.log" >&2
      tail -20 "$work/survivors.log" >&2
      exit 1
    }
  fi
  summaries+=("$(cd "$work" && "$PYTHON" "$ROOT/scripts/mutation_score.py" "$target" "$ROOT/docs/testing.md")")
done
printf '%s\n' "${summaries[@]}"
