"""The register spreadsheet is safe to open and safe to read: no formula is ever written, and
no file, however malformed, gives anything but a RegisterError naming the row and column."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from riskatlas.document import load_document
from riskatlas.document.register import (
    HEADINGS,
    RegisterError,
    apply_register,
    read_register,
    register_csv,
    register_xlsx,
)

TEXTS = {
    "title": '=HYPERLINK("https://example.org/?"&A1,"Click")',
    "circumstance": "+cmd|' /C calc'!A0",
    "rationale": "-2+3 incidents a week",
    "owner": "@SUM(1+1)",
}


@pytest.fixture
def formulas(everything_yaml: Path) -> dict[str, Any]:
    """The test document with texts that a spreadsheet would run as formulas."""
    doc = load_document(everything_yaml)
    doc["risks"][0].update(TEXTS)
    doc["risks"][1]["title"] = "'=already quoted"
    doc["risks"][1]["rationale"] = "'Tis the season"
    return doc


def test_xlsx_writes_formula_like_texts_as_text(formulas: dict[str, Any], tmp_path: Path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(register_xlsx(formulas))
    sheet = load_workbook(path).worksheets[0]
    assert [c for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
    row = {h: sheet.cell(2, i + 1) for i, h in enumerate(HEADINGS)}
    for heading, text in TEXTS.items():
        assert (row[heading].value, row[heading].data_type) == (text, "s")
        assert row[heading].quotePrefix
    assert (row["inherent likelihood"].value, row["inherent likelihood"].data_type) == (5, "n")
    assert b"<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")


def test_csv_quotes_formula_like_texts(formulas: dict[str, Any]):
    rows = list(csv.reader(io.StringIO(register_csv(formulas))))
    first, second = (dict(zip(rows[0], r, strict=True)) for r in rows[1:3])
    assert {h: first[h] for h in TEXTS} == {h: f"'{t}" for h, t in TEXTS.items()}
    assert first["inherent likelihood"] == "5"
    assert second["title"] == "''=already quoted"
    assert second["rationale"] == "'Tis the season"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_import_export_is_identical(formulas: dict[str, Any], tmp_path: Path, suffix):
    export = register_csv if suffix == ".csv" else register_xlsx
    path = tmp_path / f"register{suffix}"
    path.write_bytes(data if isinstance(data := export(formulas), bytes) else data.encode())
    again = apply_register(formulas, read_register(path), path.name)
    assert again["risks"][0]["title"] == TEXTS["title"]
    assert again == formulas
    if suffix == ".csv":
        assert register_csv(again) == register_csv(formulas)
    else:
        second = tmp_path / f"again{suffix}"
        second.write_bytes(register_xlsx(again))
        assert _cells(second) == _cells(path)


def _cells(path: Path) -> list[tuple[Any, ...]]:
    sheet = load_workbook(path).worksheets[0]
    return [tuple((c.value, c.data_type) for c in row) for row in sheet.iter_rows()]


def _refusal(path: Path, doc: dict[str, Any] | None = None) -> list[str]:
    with pytest.raises(RegisterError) as refused:
        rows = read_register(path)
        if doc is not None:
            apply_register(doc, rows, path.name)
    return [p.format() for p in refused.value.problems]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"id,title\nx,\x89PNG\r\n\x1a\n\xff\xfe\x00garbage",
            "r.csv: row 2: not UTF-8 text; save the register as CSV UTF-8",
        ),
        (
            b'id,title,category,area\nx,y,CRM,PE\nz,"' + b"a" * 200_000 + b'",CRM,PE\n',
            "r.csv: row 3: not a CSV row: field larger than field limit (131072)",
        ),
    ],
)
def test_a_csv_that_is_not_text_is_named(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    assert _refusal(path) == [message]


def test_a_file_named_xlsx_that_is_no_workbook(tmp_path: Path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"id,title,category,area\n")
    assert _refusal(path) == [
        "r.xlsx: not a readable Excel workbook: not a ZIP archive, or a damaged one "
        "(File is not a zip file)"
    ]


def test_an_xlsx_that_unpacks_too_far_is_refused(tmp_path: Path):
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (9 * 1024 * 1024))
    assert _refusal(path) == [
        "r.xlsx: not a readable Excel workbook: the archive unpacks to 9.0 MB, over "
        "the limit of 8.0 MB: refused before unpacking"
    ]


def test_a_zip_that_is_no_workbook(tmp_path: Path):
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    (message,) = _refusal(path)
    assert message.startswith("r.xlsx: not a readable Excel workbook: ")


def test_wrong_types_in_cells_are_named_by_row_and_column(everything_yaml: Path, tmp_path):
    doc = load_document(everything_yaml)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "title", "category", "area", "inherent likelihood", "inherent impact"])
    sheet.append(["crime-lima", datetime.datetime(2024, 3, 1), "CRM", "PE-LMA", 2.5, "high"])
    sheet.append([None, None, None, None, None, None])  # an empty row is skipped
    sheet.append([42, True, "CRM", "PE", -3, 12345678901234])
    path = tmp_path / "r.xlsx"
    book.save(path)
    messages = _refusal(path, doc)
    assert messages == [
        "r.xlsx: row 2, column 'inherent impact': 'high' should be of type integer",
        "r.xlsx: row 2, column 'inherent likelihood': '2.5' should be of type integer",
        "r.xlsx: row 4, column 'inherent impact': 12345678901234 is above the maximum of 5",
        "r.xlsx: row 4, column 'inherent likelihood': -3 is below the minimum of 1",
        "r.xlsx: row 4, column 'rationale': required field 'rationale' is missing",
        "r.xlsx: row 4, column 'residual': required field 'residual' is missing",
    ]


def test_a_digit_python_knows_but_int_does_not_is_named(everything_yaml: Path, tmp_path):
    # "³" is a digit to str.isdigit() but int() refuses it: found by benchmarks/fuzz.py.
    doc = load_document(everything_yaml)
    path = tmp_path / "r.csv"
    path.write_text(
        "id,title,category,area,inherent likelihood,inherent impact\n"
        "crime-lima,Street crime,CRM,PE-LMA,³,4\n",
        encoding="utf-8",
    )
    assert _refusal(path, doc) == [
        "r.csv: row 2, column 'inherent likelihood': '³' should be of type integer"
    ]


def test_a_register_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path):
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("id,title,category,area\n")
        row = "crime-lima," + "x" * 990 + ",CRM,PE-LMA\n"
        for _ in range(6000):
            out.write(row)
    with pytest.raises(RegisterError) as refused:
        read_register(path)
    assert [p.format() for p in refused.value.problems] == [
        "huge.csv: the file is 6.1 MB, over the limit of 5 MB for a register"
    ]
