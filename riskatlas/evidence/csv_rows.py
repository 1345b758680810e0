"""Where a CSV file's rows stop splitting into the columns its first line names: said when
DuckDB cannot make the columns out, so that the error names the line to look at."""

from __future__ import annotations

import csv
from pathlib import Path

#: Delimiters DuckDB's sniffer may find in a CSV file with a header.
DELIMITERS = (",", ";", "\t", "|")


def unsplit_row(path: Path) -> tuple[int, str] | None:
    """The line where the first row starts that does not split into the columns of line 1
    (a quote left open, a field too many or too few), and why; None when every row does.
    Read only when DuckDB could not make the file's columns out, to say where it goes wrong."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        first = handle.readline().removeprefix("\ufeff")

        def width(delimiter: str) -> int:
            return len(next(csv.reader([first], delimiter=delimiter), []))

        delimiter = max(DELIMITERS, key=width)
        columns = width(delimiter)
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        done = 1  # lines read: the header, then each row's
        try:
            for row in reader:
                if row and len(row) != columns:
                    return done + 1, f"{len(row)} fields where line 1 names {columns}"
                done = 1 + reader.line_num
        except csv.Error as exc:
            return done + 1, f"a quote left open or misplaced ({exc})"
    return None
