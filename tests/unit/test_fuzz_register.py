"""Fuzzing the risk register reader (bounded): whatever the CSV or XLSX holds, reading and
applying it gives a document or a RegisterError naming the problems — nothing else."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from riskatlas.document import load_document
from riskatlas.document.register import (
    HEADINGS,
    RegisterError,
    apply_register,
    read_register,
    register_csv,
    register_xlsx,
)
from tests.fuzzing import edited

EVERYTHING = Path(__file__).resolve().parents[1] / "fixtures" / "interchange" / "everything.yaml"
DOC = load_document(EVERYTHING)
CSV_SEED = register_csv(DOC)
XLSX_SEED = register_xlsx(DOC)
FUZZ = settings(
    max_examples=150,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
CELL_TEXT = st.sampled_from(
    [
        "", "crime-lima", "CRM", "PE-LMA", "PE", "3", "9", "-1", "2.5", "1e999", "nan", "9" * 5000,
        "=1+1", "@SUM(A1)", "high", "yes", "\x00", "\x1b[31m", "a\nb", '"', ",", "\ufeff", "é",
        "MOV-SECURE-TAXI, LOCAL-GUARD", "2009-02-30",
    ]
) | st.text(max_size=30)  # fmt: skip
CELLS = (
    CELL_TEXT
    | st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.datetimes(min_value=dt.datetime(1900, 1, 1))
)


def _read_and_apply(content: bytes, suffix: str) -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"register{suffix}"
        path.write_bytes(content)
        try:
            apply_register(DOC, read_register(path), path.name)
        except RegisterError as exc:
            assert exc.problems, "a refusal names at least one problem"
    assert time.perf_counter() - started < 3.0


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    pieces = CELL_TEXT.map(lambda text: text.encode("utf-8", "surrogatepass"))
    return edited(draw, seed, pieces, cut=100, repeat=300)


@FUZZ
@given(mutated(CSV_SEED.encode("utf-8")))
def test_mutated_csv_registers_are_read_or_refused(content: bytes) -> None:
    _read_and_apply(content, ".csv")


@FUZZ
@given(st.lists(st.lists(CELL_TEXT, max_size=len(HEADINGS) + 2), max_size=6))
def test_any_csv_cells_under_the_real_headings_are_read_or_refused(rows: list[list[str]]) -> None:
    lines = [",".join(HEADINGS)] + [
        ",".join(f'"{c.replace(chr(34), "")}"' for c in r) for r in rows
    ]
    _read_and_apply("\n".join(lines).encode("utf-8", "surrogatepass"), ".csv")


@settings(FUZZ, max_examples=60)  # openpyxl writes and reads each workbook (30 ms)
@given(st.lists(st.lists(CELLS, max_size=len(HEADINGS) + 2), max_size=4))
def test_any_xlsx_cells_under_the_real_headings_are_read_or_refused(
    rows: list[list[object]],
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADINGS))
    for row in rows:
        # Characters openpyxl refuses to write cannot be in a workbook: leave them out.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    book.save(out)
    _read_and_apply(out.getvalue(), ".xlsx")


@settings(FUZZ, max_examples=60)
@given(mutated(XLSX_SEED))
def test_mutated_xlsx_registers_are_read_or_refused(content: bytes) -> None:
    _read_and_apply(content, ".xlsx")
