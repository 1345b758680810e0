"""The score of one mutmut run (scripts/mutation.sh): killed/total, survivors listed.

Run in the run's folder (the one holding `mutants/`): reads mutmut's per-file results
(`mutants/**/*.py.meta`), leaves out the equivalent mutants listed in docs/testing.md
(lines "- `mutant.name`: reason"), writes the survivors and untested mutants to
survivors.txt and prints `mutation TARGET: killed/total = NN.N %`. Timeouts count as killed.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 24, -24, 36, 37, 152, 255, -9, -11}
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}
EQUIVALENT = re.compile(r"^- `([^`]+__mutmut_\d+)`:", re.M)


def main(target: str, testing_md: str) -> int:
    listed = Path(testing_md).read_text(encoding="utf-8") if Path(testing_md).exists() else ""
    equivalent = set(EQUIVALENT.findall(listed))
    counts: Counter[str] = Counter()
    left: list[str] = []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        results = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        for name, code in sorted(results.items()):
            if name in equivalent:
                counts["equivalent"] += 1
            elif code in KILLED:
                counts["killed"] += 1
            else:
                status = STATUS.get(code, "suspicious")
                counts[status] += 1
                left.append(f"{status}\t{name}")
    Path("survivors.txt").write_text("".join(f"{line}\n" for line in left), encoding="utf-8")
    total = sum(n for status, n in counts.items() if status != "equivalent")
    score = 100.0 * counts["killed"] / total if total else 0.0
    detail = ", ".join(
        f"{n} {status}" for status, n in sorted(counts.items()) if status != "killed"
    )
    checked = total - counts["not checked"]
    partial = (
        f"; stopped early: {counts['killed']}/{checked} checked = "
        f"{100.0 * counts['killed'] / checked:.1f} %"
        if counts["not checked"] and checked
        else ""
    )
    print(
        f"mutation {target}: {counts['killed']}/{total} = {score:.1f} %"
        + (f"  ({detail}{partial})" if detail else "")
    )
    return 0 if total else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
