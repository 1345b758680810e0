"""The workbook of every part: an assessment as one XLSX, a sheet per part of the interchange
format (register first, as in the register's own XLSX, then the assessment's details, areas,
places, exposure, sources, context, actors, incidents, threats, measures, recommendations,
watch items, official advice, evidence, actor links and the matrix), which reads back as the
same document.

Reading is strict, because a workbook stands for the whole assessment: every sheet and every
column must be there (an empty cell is an empty field; a removed row, a removed part); an
unknown sheet or column, a cell that is not what its column holds and every problem of the
resulting document are named by sheet, row and column (``RegisterError``). Formula-like text
is written as text (``register.keep_as_text``) and read back unchanged.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from riskatlas.document.register import (
    check_file_size,
    fill_register_sheet,
    keep_as_text,
    xlsx_sheets,
)
from riskatlas.document.workbook_read import build_document
from riskatlas.document.workbook_sheets import (
    BY_TITLE,
    EVIDENCE,
    GRID_SHEET,
    KEY_VALUE_SHEETS,
    LINKS,
    ORDER,
    SHEETS,
    Column,
    Sheet,
)

#: A workbook of every part may unpack to at most this much (the register alone: 8 MB).
MAX_WORKBOOK_UNPACKED = 16 * 1024 * 1024


class WorkbookWriteError(ValueError):
    """A document the workbook cannot hold exactly (a listed text with a line break)."""


def _get(item: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = item
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _cell(value: Any, column: Column, where: str) -> Any:
    """The cell for a field's value, by the column's kind."""
    if value is None:
        return None
    if column.kind == "flag":
        return "yes" if value else None
    if column.kind in ("ids", "lines"):
        items = [str(v) for v in value]
        for text in items:
            if "\n" in text or "\r" in text:
                raise WorkbookWriteError(
                    f"{where}, {column.heading}: {text!r} holds a line break; a workbook "
                    "cell lists one item per line"
                )
        if column.kind == "lines" or any("," in text for text in items):
            return "\n".join(items)
        return ", ".join(items)
    return value


def _key_of(sheet: Sheet, index: int, item: dict[str, Any]) -> Any:
    return index + 1 if sheet.key == "#" else item.get(sheet.key)


def _rows(doc: dict[str, Any], sheet: Sheet) -> list[list[Any]]:
    items = _get(doc, sheet.section) or []
    rows: list[list[Any]] = [list(sheet.headings)]
    for index, item in enumerate(items):
        where = f"{sheet.title} row {index + 2}"
        row = []
        for column in sheet.columns:
            if column.path == ("#",):
                row.append(index + 1)
            else:
                row.append(_cell(_get(item, column.path), column, where))
        rows.append(row)
    return rows


def _evidence_rows(doc: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [list(EVIDENCE.headings)]
    for sheet in SHEETS:
        if not sheet.key:
            continue
        for index, item in enumerate(_get(doc, sheet.section) or []):
            for evidence in item.get("evidence") or []:
                fields = [evidence.get(c.path[0]) for c in EVIDENCE.columns[2:]]
                rows.append([sheet.title, _key_of(sheet, index, item), *fields])
    return rows


def _link_rows(doc: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [list(LINKS.headings)]
    for actor in doc.get("actors") or []:
        for link in actor.get("links") or []:
            rows.append([actor["id"], link.get("actor"), link.get("relation")])
    return rows


def _grid_rows(matrix: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = [["impact \\ likelihood", *matrix.get("likelihood_values", [])]]
    for impact, codes in zip(matrix.get("impact_values", []), matrix.get("grid", []), strict=False):
        rows.append([impact, *codes])
    return rows


def _sheet_rows(doc: dict[str, Any], title: str) -> list[list[Any]]:
    for name, section, fields in KEY_VALUE_SHEETS:
        if title == name:
            part = doc.get(section) or {}
            return [["field", "value"]] + [
                [f.heading, _cell(_get(part, f.path), f, title)] for f in fields
            ]
    if title == GRID_SHEET:
        return _grid_rows(doc.get("matrix") or {})
    if title == EVIDENCE.title:
        return _evidence_rows(doc)
    if title == LINKS.title:
        return _link_rows(doc)
    return _rows(doc, BY_TITLE[title])


def workbook_xlsx(doc: dict[str, Any]) -> bytes:
    """The normalised document ``doc`` as a workbook of every part (XLSX bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    register = book.active
    assert register is not None
    fill_register_sheet(register, doc)
    for title in ORDER[1:]:
        sheet = book.create_sheet(title)
        for row in _sheet_rows(doc, title):
            sheet.append(row)
        keep_as_text(sheet)
        widths = dict(BY_TITLE[title].widths) if title in BY_TITLE else {}
        widths.update({"value": 60, "quote": 60, "note": 40, "relation": 30})
        for cell in sheet[1]:
            width = widths.get(str(cell.value), 16)
            sheet.column_dimensions[cell.column_letter].width = width
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_tables(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet of an XLSX as rows of cell values (not formulas), its archive checked
    first; RegisterError naming the file for anything that is not a readable workbook."""
    check_file_size(path)
    return xlsx_sheets(path, MAX_WORKBOOK_UNPACKED)


def is_workbook(tables: dict[str, list[list[Any]]]) -> bool:
    """Whether the sheets are a workbook of every part (it has an Assessment sheet), not a
    register alone."""
    return "Assessment" in tables


def read_workbook(path: Path, filename: str | None = None) -> dict[str, Any]:
    """The normalised document a workbook of every part stands for; RegisterError naming the
    sheet, row and column of every problem."""
    return build_document(read_tables(path), filename or path.name)


def apply_workbook(
    base: dict[str, Any], tables: dict[str, list[list[Any]]], filename: str
) -> dict[str, Any]:
    """The document a workbook stands for, as a new content of the version ``base`` is the
    document of: its reference, version and status are the version's, whatever the
    workbook's Assessment sheet says."""
    keep = {k: base["assessment"][k] for k in ("slug", "version", "status")}
    return build_document(tables, filename, keep)
