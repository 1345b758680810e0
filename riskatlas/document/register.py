"""The risk register as a spreadsheet (CSV, XLSX): export, and import with row-level errors.

Import merges rows into a document by risk id (update or add) and re-validates the whole
document, so a register can never leave an assessment inconsistent; errors name the file,
the row and the column.
"""

from __future__ import annotations

import copy
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskatlas.document.checks import check_references
from riskatlas.document.normalise import normalise
from riskatlas.document.schema import check_schema
from riskatlas.method.matrix import Matrix

# (column heading, document path inside a risk); the order is the spreadsheet's.
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("id", ("id",)),
    ("title", ("title",)),
    ("category", ("category",)),
    ("area", ("area",)),
    ("exposed", ("exposed",)),
    ("circumstance", ("circumstance",)),
    ("inherent likelihood", ("inherent", "likelihood")),
    ("inherent impact", ("inherent", "impact")),
    ("inherent level", ()),
    ("current likelihood", ("current", "likelihood")),
    ("current impact", ("current", "impact")),
    ("residual likelihood", ("residual", "likelihood")),
    ("residual impact", ("residual", "impact")),
    ("residual level", ()),
    ("trend", ("trend",)),
    ("confidence", ("confidence",)),
    ("owner", ("owner",)),
    ("measures", ("measures",)),
    ("rationale", ("rationale",)),
)
HEADINGS = tuple(c for c, _ in COLUMNS)
LIST_FIELDS = {"exposed", "measures"}
INT_FIELDS = {"likelihood", "impact"}


def register_rows(doc: dict[str, Any]) -> list[list[Any]]:
    """The register as rows of cells, headings first."""
    matrix = Matrix.from_dict(doc["matrix"])
    rows: list[list[Any]] = [list(HEADINGS)]
    for risk in doc.get("risks") or []:
        row: list[Any] = []
        for heading, path in COLUMNS:
            if heading in ("inherent level", "residual level"):
                which = heading.split()[0]
                rating = risk[which]
                row.append(matrix.level(rating["likelihood"], rating["impact"]).name)
                continue
            value: Any = risk
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            if isinstance(value, list):
                value = ", ".join(value)
            row.append("" if value is None else value)
        rows.append(row)
    return rows


def register_csv(doc: dict[str, Any]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(register_rows(doc))
    return out.getvalue()


def register_xlsx(doc: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    matrix = Matrix.from_dict(doc["matrix"])
    colours = {lv.name: lv.colour.lstrip("#") for lv in matrix.levels}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Risk register"
    for row in register_rows(doc):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    level_columns = [HEADINGS.index("inherent level") + 1, HEADINGS.index("residual level") + 1]
    for row_cells in sheet.iter_rows(min_row=2):
        for index in level_columns:
            cell = row_cells[index - 1]
            if cell.value in colours:
                cell.fill = PatternFill("solid", fgColor=colours[str(cell.value)])
    widths = {"title": 40, "rationale": 80, "circumstance": 25, "measures": 30}
    for i, heading in enumerate(HEADINGS, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = widths.get(heading, 14)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class RowProblem:
    filename: str
    row: int
    column: str
    message: str

    def format(self) -> str:
        where = f"row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return f"{self.filename}: {where}: {self.message}"


class RegisterError(ValueError):
    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def read_register(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, {heading: value}) for every non-empty row of a CSV or XLSX."""
    name = path.name
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            table = [list(r) for r in csv.reader(fh)]
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        raise RegisterError([RowProblem(name, 0, "", "a register must be a .csv or .xlsx file")])
    if not table:
        raise RegisterError([RowProblem(name, 1, "", "the file is empty")])
    headings = [str(h or "").strip().lower() for h in table[0]]
    problems = [
        RowProblem(name, 1, h, "unknown column") for h in headings if h and h not in HEADINGS
    ]
    for required in ("id", "title", "category", "area"):
        if required not in headings:
            problems.append(RowProblem(name, 1, required, "required column is missing"))
    if problems:
        raise RegisterError(problems)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        rows.append((number, {h: c for h, c in zip(headings, cells, strict=False) if h}))
    return rows


def _cell_value(field: str, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field in LIST_FIELDS:
        return [v.strip() for v in str(value).split(",") if v.strip()]
    if field in INT_FIELDS:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip()
        return int(text) if text.lstrip("-").isdigit() else text
    return str(value).strip() if isinstance(value, str) else value


def apply_register(
    doc: dict[str, Any], rows: list[tuple[int, dict[str, Any]]], filename: str
) -> dict[str, Any]:
    """The document with the register's rows merged in by risk id; RegisterError listing
    every problem (by row and column) otherwise. The input document is not changed."""
    new = copy.deepcopy(doc)
    risks = new.setdefault("risks", [])
    index = {r["id"]: i for i, r in enumerate(risks)}
    row_of_risk: dict[int, int] = {}
    for number, cells in rows:
        rid = _cell_value("id", cells.get("id"))
        risk = copy.deepcopy(risks[index[rid]]) if rid in index else {}
        for heading, path in COLUMNS:
            if not path or heading not in cells:
                continue
            value = _cell_value(path[-1], cells[heading])
            target = risk
            for key in path[:-1]:
                target = target.setdefault(key, {})
            if value is None:
                target.pop(path[-1], None)
            else:
                target[path[-1]] = value
        if isinstance(risk.get("current"), dict) and not risk["current"]:
            risk.pop("current")
        if rid in index:
            risks[index[rid]] = risk
        else:
            index[rid] = len(risks)
            risks.append(risk)
        row_of_risk[index[rid]] = number

    problems: list[RowProblem] = []
    for problem in check_schema(new) + check_references(new):
        where = problem.path
        if len(where) >= 2 and where[0] == "risks" and isinstance(where[1], int):
            row = row_of_risk.get(where[1], 0)
            field = ".".join(str(p) for p in where[2:])
            column = next(
                (h for h, p in COLUMNS if ".".join(p) == field),
                field,
            )
            problems.append(RowProblem(filename, row, column, problem.message))
        else:
            problems.append(RowProblem(filename, 0, problem.field, problem.message))
    if problems:
        raise RegisterError(sorted(problems, key=lambda p: (p.row, p.column)))
    return normalise(new)
