"""The workbook of every part: document → workbook → the same document; the register's sheet
first, as before; bad cells named by sheet, row and column; formula-like text kept text."""

from __future__ import annotations

import copy
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from riskatlas.document import dump, load_document
from riskatlas.document.register import (
    RegisterError,
    apply_register,
    read_register,
    register_rows,
)
from riskatlas.document.workbook import (
    WorkbookWriteError,
    read_tables,
    read_workbook,
    workbook_xlsx,
)
from riskatlas.document.workbook_sheets import ORDER


def _round_trip(doc: dict[str, Any], path: Path) -> dict[str, Any]:
    path.write_bytes(workbook_xlsx(doc))
    return read_workbook(path)


@pytest.fixture
def everything(everything_yaml: Path) -> dict[str, Any]:
    return load_document(everything_yaml)


def test_everything_round_trips(everything: dict[str, Any], tmp_path: Path):
    back = _round_trip(everything, tmp_path / "w.xlsx")
    assert back == everything
    assert dump(back) == dump(everything)  # the same YAML, keys in the same order


def test_peru_round_trips(peru_yaml: Path, tmp_path: Path):
    if not peru_yaml.is_file():
        pytest.skip(f"{peru_yaml} is not there")
    doc = load_document(peru_yaml)
    assert _round_trip(doc, tmp_path / "peru.xlsx") == doc


def test_every_part_has_its_sheet_and_the_register_comes_first(
    everything: dict[str, Any], tmp_path: Path
):
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbook_xlsx(everything))
    book = load_workbook(path)
    assert book.sheetnames == list(ORDER)
    assert book.sheetnames[0] == "Risk register"
    register = [[c.value for c in row] for row in book["Risk register"].iter_rows()]
    expected = register_rows(everything)
    assert [[v if v != "" else None for v in row] for row in expected] == register
    # The register import reads the first sheet of the workbook as before.
    assert apply_register(everything, read_register(path), path.name) == everything
    evidence = [[c.value for c in row] for row in book["Evidence"].iter_rows()]
    assert ["Risk register", "crime-lima", "field", None, "Muggings after dark.", None] in evidence
    assert ["Context", 1, "press", None, "Stable.", "Several outlets."] in evidence


def _edit(path: Path, sheet: str, cell: str, value: Any) -> None:
    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def _problems(path: Path) -> str:
    with pytest.raises(RegisterError) as caught:
        read_workbook(path)
    return str(caught.value)


def _cell_of(path: Path, sheet: str, heading: str, row: int) -> str:
    book = load_workbook(path)
    for cell in book[sheet][1]:
        if cell.value == heading:
            return f"{cell.column_letter}{row}"
    raise AssertionError(f"no column {heading} in {sheet}")


@pytest.mark.parametrize(
    ("sheet", "heading", "row", "value", "message"),
    [
        ("Areas", "level", 3, 9, "9 is above the maximum of 5"),
        ("Areas", "hot spot", 2, "maybe", "'maybe': write yes, or leave the cell empty for no"),
        ("Incidents", "killed", 2, "two", "'two'"),
        ("Places", "area", 2, "PE-XXX", "no area 'PE-XXX' in areas"),
        ("Risk register", "inherent impact", 3, 7, "7 is above the maximum"),
        ("Evidence", "item", 2, "no-such-risk", "no 'no-such-risk' in sheet"),
        ("Actor links", "actor", 2, "nobody", "no 'nobody' in sheet 'Actors'"),
        ("Watch items", "date", 2, "next spring", "'next spring'"),
    ],
)
def test_a_bad_cell_is_named_by_sheet_row_and_column(
    everything: dict[str, Any],
    tmp_path: Path,
    sheet: str,
    heading: str,
    row: int,
    value: Any,
    message: str,
):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_xlsx(everything))
    _edit(path, sheet, _cell_of(path, sheet, heading, row), value)
    text = _problems(path)
    assert f"bad.xlsx: sheet '{sheet}', row {row}, column '{heading}': " in text
    assert message in text


def test_a_missing_sheet_or_column_or_an_unknown_one_is_refused(
    everything: dict[str, Any], tmp_path: Path
):
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbook_xlsx(everything))
    book = load_workbook(path)
    del book["Sources"]
    book.create_sheet("Notes")
    book["Areas"].delete_cols(4)  # description
    book.save(path)
    text = _problems(path)
    assert "w.xlsx: sheet 'Sources': sheet is missing" in text
    assert "w.xlsx: sheet 'Notes': unknown sheet" in text
    book = load_workbook(path)
    book.create_sheet("Sources")
    del book["Notes"]
    book.save(path)
    text = _problems(path)
    assert "sheet 'Areas', row 1, column 'description': column is missing" in text


def test_removing_a_row_removes_the_part(everything: dict[str, Any], tmp_path: Path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbook_xlsx(everything))
    book = load_workbook(path)
    book["Official advice"].delete_rows(2)
    book.save(path)
    assert "official_advice" not in read_workbook(path)


def test_formula_like_text_stays_text(everything: dict[str, Any], tmp_path: Path):
    doc = copy.deepcopy(everything)
    doc["sources"][0]["title"] = '=HYPERLINK("http://evil.example","click")'
    doc["actors"][0]["aliases"] = ["+cmd|' /C calc'!A0", "@SUM(1)"]
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbook_xlsx(doc))
    cell = load_workbook(path)["Sources"]["B2"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert read_workbook(path) == doc


def test_a_listed_text_with_a_line_break_cannot_be_written(everything: dict[str, Any]):
    doc = copy.deepcopy(everything)
    doc["watch_items"][0]["triggers"] = ["Violent\nprotests"]
    with pytest.raises(WorkbookWriteError, match="Watch items row 2, triggers"):
        workbook_xlsx(doc)


def test_a_file_that_is_not_a_workbook_is_named(tmp_path: Path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(RegisterError, match=r"w\.xlsx: not a readable Excel workbook"):
        read_tables(path)
    book = Workbook()
    book.active.title = "Assessment"  # type: ignore[union-attr]
    book.save(path)
    assert "sheet 'Risk register': sheet is missing" in _problems(path)


# Text a workbook cell holds exactly: no control characters (XML refuses them), and list items
# without surrounding spaces (the reader strips them, as the web forms do).
_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r")
    | st.sampled_from("\n=+-@',\""),
    min_size=1,
    max_size=40,
)
_ITEM = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
    | st.sampled_from(string.punctuation),
    min_size=1,
    max_size=20,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    summary=_TEXT,
    rationale=_TEXT,
    aliases=st.lists(_ITEM, max_size=3),
    level=st.text(string.digits, min_size=1, max_size=4),
)
def test_any_text_round_trips(
    everything: dict[str, Any],
    tmp_path: Path,
    summary: str,
    rationale: str,
    aliases: list[str],
    level: str,
):
    doc = copy.deepcopy(everything)
    doc["assessment"]["summary"] = summary
    doc["risks"][0]["rationale"] = rationale
    doc["actors"][0]["aliases"] = aliases or ["AG"]
    doc["official_advice"][0]["level"] = level  # digits stay text
    assert _round_trip(doc, tmp_path / "h.xlsx") == doc
