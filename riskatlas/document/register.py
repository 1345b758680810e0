"""The risk register as a spreadsheet (CSV, XLSX): export, and import with row-level errors.

Import merges rows into a document by risk id (update or add) and re-validates the whole
document, so a register can never leave an assessment inconsistent; errors name the file,
the row and the column. Any file, however malformed, gives RegisterError, never a traceback.

Exports are spreadsheet-safe: a text starting with ``= + - @``, a tab or a carriage return
(which a spreadsheet would run as a formula) is written as text — in XLSX as a text cell with
Excel's quote prefix, the text unchanged; in CSV behind a single quote (OWASP's advice), which
import removes again, so export → import → export gives the same file.
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskatlas.document.archives import ArchiveError, open_archive
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
#: The register's sheet: the only one of a register, the first of a workbook of every part.
REGISTER_SHEET = "Risk register"
#: A register is a table of risks: a few hundred rows at most. A larger file is refused before
#: it is read (on the command line as on the web), so it can neither stall nor exhaust memory.
MAX_REGISTER_BYTES = 5 * 1000 * 1000
#: The longest text a CSV register's cell may hold.
MAX_CELL_CHARS = 131072
LIST_FIELDS = {"exposed", "measures"}
INT_FIELDS = {"likelihood", "impact"}
#: What a spreadsheet takes for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A register's XLSX may unpack to at most this much: a thousand risks with long rationales
#: unpack to about 3 MB; the fuzz benchmark found a 12 MB sheet taking over 10 s and a 25 MB
#: style sheet over 1 GB of memory in the spreadsheet reader.
MAX_XLSX_UNPACKED = 8 * 1024 * 1024


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (or, starting with the quote
    that marks one as text, whether removing the quote would)."""
    return text.startswith(FORMULA_STARTS) or (text[:1] == "'" and is_formula_like(text[1:]))


def quoted(value: Any) -> Any:
    """A CSV cell for ``value``: formula-like text behind a single quote; the rest as it is."""
    return f"'{value}" if isinstance(value, str) and is_formula_like(value) else value


def unquoted(value: Any) -> Any:
    """The text a CSV cell written by ``quoted`` stands for."""
    if isinstance(value, str) and value[:1] == "'" and is_formula_like(value[1:]):
        return value[1:]
    return value


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
    csv.writer(out).writerows([quoted(v) for v in row] for row in register_rows(doc))
    return out.getvalue()


def register_xlsx(doc: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    fill_register_sheet(sheet, doc)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fill_register_sheet(sheet: Any, doc: dict[str, Any]) -> None:
    """Write the register into an empty openpyxl worksheet: headings in bold, levels in their
    colours, formula-like text kept text (``keep_as_text``), the first row and column frozen."""
    from openpyxl.styles import PatternFill

    matrix = Matrix.from_dict(doc["matrix"])
    colours = {lv.name: lv.colour.lstrip("#") for lv in matrix.levels}
    sheet.title = REGISTER_SHEET
    for row in register_rows(doc):
        sheet.append(row)
    keep_as_text(sheet)
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


def keep_as_text(sheet: Any) -> None:
    """Bold headings, and every formula-like text below them a text cell (Excel's quote
    prefix), so a spreadsheet never runs what an assessment quotes."""
    from openpyxl.styles import Font

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
                cell.quotePrefix = True  # and Excel keeps it text when it is edited


@dataclass(frozen=True)
class RowProblem:
    filename: str
    row: int
    column: str
    message: str
    sheet: str = ""  # in a workbook of every part (workbook.py): which sheet

    def format(self) -> str:
        """``FILE: row N, column 'C': message`` (in a workbook ``FILE: sheet 'S', row N,
        column 'C': message``); a problem of the whole file (row 0) names only the file."""
        sheet = f"sheet '{self.sheet}'" if self.sheet else ""
        if not self.row and not self.column:
            return f"{self.filename}: " + (f"{sheet}: " if sheet else "") + self.message
        where = f"row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return f"{self.filename}: " + (f"{sheet}, " if sheet else "") + f"{where}: {self.message}"


class RegisterError(ValueError):
    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def read_register(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, {heading: value}) for every non-empty row of a CSV or XLSX."""
    name = path.name
    check_file_size(path, " for a register")
    if path.suffix.lower() == ".csv":
        table = _csv_table(path)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _xlsx_table(path)
    else:
        raise RegisterError([RowProblem(name, 0, "", "a register must be a .csv or .xlsx file")])
    if not table:
        raise RegisterError([RowProblem(name, 1, "", "the file is empty")])
    headings = [_text(h).strip().lower() for h in table[0]]
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


def _csv_table(path: Path) -> list[list[Any]]:
    """The rows of a CSV register (UTF-8, with or without a byte order mark), the quote that
    marks formula-like text removed; RegisterError naming the row of a problem."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise RegisterError(
            [RowProblem(path.name, row, "", "not UTF-8 text; save the register as CSV UTF-8")]
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    # The csv module's cell limit is process-wide, and a library may raise it (reverse_geocoder
    # sets it to sys.maxsize on import): a register's cells keep their own limit.
    before = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        return [[unquoted(c) for c in row] for row in reader]
    except csv.Error as error:
        row = reader.line_num
        raise RegisterError([RowProblem(path.name, row, "", f"not a CSV row: {error}")]) from error
    finally:
        csv.field_size_limit(before)


def _xlsx_table(path: Path) -> list[list[Any]]:
    """The rows of an XLSX register's first sheet (cell values, not formulas)."""
    return next(iter(xlsx_sheets(path, MAX_XLSX_UNPACKED, first_only=True).values()))


def xlsx_sheets(
    path: Path, max_unpacked: int, first_only: bool = False
) -> dict[str, list[list[Any]]]:
    """Every sheet (or the first) of an XLSX as rows of cell values (not formulas); its archive
    is checked against ``max_unpacked`` before it is opened. RegisterError naming the file for
    anything that is not a readable workbook; MemoryError passes on."""
    from openpyxl import load_workbook

    try:
        open_archive(path, max_unpacked=max_unpacked).close()
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise ArchiveError("the workbook has no sheet")
            sheets = book.worksheets[:1] if first_only else book.worksheets
            return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in sheets}
        finally:
            book.close()
    except MemoryError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        reason = str(error) or type(error).__name__
        raise RegisterError(
            [RowProblem(path.name, 0, "", f"not a readable Excel workbook: {reason}")]
        ) from error


def check_file_size(path: Path, what: str = "") -> None:
    """RegisterError when the file is over the size limit of a register or workbook."""
    size = path.stat().st_size
    if size > MAX_REGISTER_BYTES:
        message = (
            f"the file is {size / 1e6:.1f} MB, over the limit of {MAX_REGISTER_BYTES / 1e6:.0f} MB"
        )
        raise RegisterError([RowProblem(path.name, 0, "", message + what)])


def _text(value: Any) -> str:
    """A cell as text: dates as ISO dates, 3.0 as "3", nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_value(field: str, value: Any) -> Any:
    """A cell as the document's value: lists split at commas, likelihood and impact as whole
    numbers (anything else is kept for the schema to name), other fields as text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field in LIST_FIELDS:
        return [v.strip() for v in _text(value).split(",") if v.strip()]
    if field in INT_FIELDS:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = _text(value).strip()
        digits = text.removeprefix("-")
        # ASCII digits only: "³" is a digit to str.isdigit() but not a number to int().
        return int(text) if digits.isascii() and digits.isdigit() and len(text) < 10 else text
    return _text(value).strip()


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
