"""Reading a workbook of every part (``workbook.py``) back into a document: each sheet's rows
into the part it holds, the Evidence and Actor links rows onto the items they name, the
matrix from its sheets; then the document is checked as any other and every problem is
named by sheet, row and column."""

from __future__ import annotations

from typing import Any

from riskatlas.document.checks import check_references
from riskatlas.document.normalise import normalise
from riskatlas.document.register import RegisterError, RowProblem, _text
from riskatlas.document.schema import assessment_schema, check_schema
from riskatlas.document.workbook_sheets import (
    COMPUTED,
    EVIDENCE,
    GRID_SHEET,
    KEY_VALUE_SHEETS,
    LINKS,
    ORDER,
    RISKS,
    SHEETS,
    Column,
    Sheet,
)

Origins = dict[tuple[Any, ...], tuple[str, int]]
FLAG_TRUE = {"yes", "y", "true", "x", "1"}
FLAG_FALSE = {"no", "n", "false", "0"}


class _Reader:
    """One workbook being read: its problems, and where each part of the document came from
    (document path → sheet and row), to name them."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[RowProblem] = []
        self.origins: Origins = {}

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.filename, row, column, message, sheet))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _split(text: str) -> list[str]:
    """A listing cell's items: one per line if it has several lines, else comma-separated."""
    parts = text.splitlines() if "\n" in text or "\r" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


def _convert(value: Any, column: Column) -> tuple[Any, str]:
    """(the field's value or None for an empty cell, a problem or "")."""
    if (_blank(value) and column.kind != "text") or value is None or value == "":
        return None, ""
    kind = column.kind
    if kind in ("int", "number") and not isinstance(value, bool):
        if isinstance(value, int) or (isinstance(value, float) and kind == "number"):
            return value, ""
        if isinstance(value, float) and value.is_integer():
            return int(value), ""
        text = _text(value).strip()
        try:
            return (int(text) if kind == "int" else float(text)), ""
        except ValueError:
            return text, ""  # the schema names what it should be
    if kind == "flag":
        word = _text(value).strip().lower()
        if value is True or word in FLAG_TRUE:
            return True, ""
        if value is False or word in FLAG_FALSE:
            return None, ""
        return None, f"{_text(value)!r}: write yes, or leave the cell empty for no"
    if kind in ("ids", "lines"):
        text = _text(value)
        if kind == "lines":
            return [line.strip() for line in text.splitlines() if line.strip()], ""
        return _split(text), ""
    return _text(value), ""


def _set(item: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = item
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def _headings(reader: _Reader, sheet: Sheet, rows: list[list[Any]]) -> list[str]:
    """The sheet's headings, lower-cased; a problem for each unknown or missing one."""
    headings = [_text(h).strip().lower() for h in (rows[0] if rows else [])]
    known = set(sheet.headings) | (COMPUTED if sheet is RISKS else set())
    for heading in headings:
        if heading and heading not in known:
            reader.problem(sheet.title, 1, heading, "unknown column")
    for heading in sheet.headings:
        if heading not in headings:
            reader.problem(
                sheet.title, 1, heading, "column is missing (leave its cells empty instead)"
            )
    return headings


def _read_rows(
    reader: _Reader, sheet: Sheet, rows: list[list[Any]]
) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """(row number, the item, the cells of columns with no field) of each non-empty row."""
    headings = _headings(reader, sheet, rows)
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(_blank(c) for c in cells):
            continue
        item: dict[str, Any] = {}
        loose: dict[str, Any] = {}
        for index, value in enumerate(cells):
            heading = headings[index] if index < len(headings) else ""
            column = sheet.column(heading)
            if column is None:
                if heading not in COMPUTED and not _blank(value):
                    reader.problem(sheet.title, number, "", f"a value under no heading: {value!r}")
                continue
            converted, problem = _convert(value, column)
            if problem:
                reader.problem(sheet.title, number, heading, problem)
            elif not column.path or column.path == ("#",):
                loose[heading] = converted
            elif converted is not None:
                _set(item, column.path, converted)
        out.append((number, item, loose))
    return out


def _key_values(reader: _Reader, doc: dict[str, Any], tables: dict[str, Any]) -> None:
    for title, section, fields in KEY_VALUE_SHEETS:
        rows = tables[title]
        part: dict[str, Any] = {}
        reader.origins[(section,)] = (title, 0)
        if [_text(h).strip().lower() for h in (rows[0] if rows else [])][:2] != ["field", "value"]:
            reader.problem(title, 1, "", "the first row must be the headings: field, value")
            continue
        by_heading = {f.heading: f for f in fields}
        for number, cells in enumerate(rows[1:], start=2):
            cells = [*cells, None, None]
            name = _text(cells[0]).strip().lower()
            if not name and _blank(cells[1]):
                continue
            field = by_heading.get(name)
            if field is None:
                reader.problem(title, number, "field", f"unknown field {name!r}")
                continue
            value, problem = _convert(cells[1], field)
            if problem:
                reader.problem(title, number, "value", problem)
            elif value is not None:
                _set(part, field.path, value)
                reader.origins[(section, *field.path)] = (title, number)
        doc[section] = part


def _parts(reader: _Reader, doc: dict[str, Any], tables: dict[str, Any]) -> dict[str, Any]:
    """Each listing sheet into its part; the items of keyed sheets by sheet title and key."""
    keyed: dict[str, dict[str, tuple[tuple[Any, ...], dict[str, Any]]]] = {}
    for sheet in SHEETS:
        items: list[dict[str, Any]] = []
        reader.origins[sheet.section] = (sheet.title, 0)
        for number, item, loose in _read_rows(reader, sheet, tables[sheet.title]):
            place = (*sheet.section, len(items))
            reader.origins[place] = (sheet.title, number)
            items.append(item)
            if sheet.key:
                key = loose.get("#") if sheet.key == "#" else item.get(sheet.key)
                if key is not None:
                    keyed.setdefault(sheet.title, {}).setdefault(_text(key), (place, item))
        parent = doc
        for key in sheet.section[:-1]:
            parent = parent.setdefault(key, {})
        parent[sheet.section[-1]] = items
    return keyed


def _attach(
    reader: _Reader,
    sheet: Sheet,
    rows: list[list[Any]],
    owner: Any,
    field: str,
) -> None:
    """Each row of ``sheet`` appended to the ``field`` list of the item ``owner(loose)``
    names (None: a problem already said why)."""
    for number, item, loose in _read_rows(reader, sheet, rows):
        found = owner(number, loose)
        if found is None:
            continue
        place, target = found
        items = target.setdefault(field, [])
        reader.origins[(*place, field, len(items))] = (sheet.title, number)
        items.append(item)


def _grid(reader: _Reader, doc: dict[str, Any], rows: list[list[Any]]) -> None:
    matrix = doc.setdefault("matrix", {})
    reader.origins[("matrix", "grid")] = (GRID_SHEET, 0)
    reader.origins[("matrix", "likelihood_values")] = (GRID_SHEET, 1)
    reader.origins[("matrix", "impact_values")] = (GRID_SHEET, 0)
    number_column = Column("", ("",), "int")
    header = [c for c in (rows[0] if rows else [])[1:] if not _blank(c)]
    matrix["likelihood_values"] = [_convert(c, number_column)[0] for c in header]
    impacts: list[Any] = []
    grid: list[list[str]] = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(_blank(c) for c in cells):
            continue
        reader.origins[("matrix", "grid", len(grid))] = (GRID_SHEET, number)
        impacts.append(_convert(cells[0], number_column)[0])
        grid.append([_text(c) for c in cells[1 : len(header) + 1]])
    matrix["impact_values"] = impacts
    matrix["grid"] = grid


def _column_of(sheet_title: str, rest: tuple[Any, ...]) -> str:
    if sheet_title in ("Assessment", "Matrix"):
        return "value"
    sheets = {s.title: s for s in (*SHEETS, EVIDENCE, LINKS)}
    sheet = sheets.get(sheet_title)
    fields = tuple(str(p) for p in rest)
    if sheet is None or not fields:
        return ".".join(fields)
    for column in sheet.columns:
        if column.path == fields or column.path[: len(fields)] == fields:
            return column.heading
    return ".".join(fields)


def _name_problems(reader: _Reader, doc: dict[str, Any]) -> None:
    for problem in check_schema(doc) + check_references(doc):
        path = tuple(problem.path)
        for cut in range(len(path), 0, -1):
            if path[:cut] in reader.origins:
                title, row = reader.origins[path[:cut]]
                column = _column_of(title, path[cut:]) if row or path[cut:] else ""
                reader.problem(title, row, column, problem.message)
                break
        else:
            reader.problem("", 0, problem.field, problem.message)


def _in_format_order(doc: dict[str, Any]) -> None:
    """Each part's fields in the order of the format (as the stored export writes them), not
    of the sheet's columns: the YAML of a document read back is the YAML written."""
    definitions = assessment_schema()["$defs"]
    schema = assessment_schema()["properties"]
    matrix, fields = doc["matrix"], definitions["matrix"]["properties"]
    doc["matrix"] = {k: matrix[k] for k in fields if k in matrix} | matrix
    for sheet in SHEETS:
        items = doc.get(sheet.section[0])
        if len(sheet.section) > 1 or not isinstance(items, list):
            continue
        reference = schema[sheet.section[0]]["items"].get("$ref", "")
        fields = definitions.get(reference.rsplit("/", 1)[-1], {}).get("properties", {})
        doc[sheet.section[0]] = [{k: i[k] for k in fields if k in i} | i for i in items]


def build_document(
    tables: dict[str, list[list[Any]]], filename: str, keep: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The normalised document of a workbook's sheets (``keep``: assessment fields that
    replace the workbook's); RegisterError naming each problem by sheet, row and column."""
    reader = _Reader(filename)
    for title in ORDER:
        if title not in tables:
            reader.problem(title, 0, "", "sheet is missing")
    for title in tables:
        if title not in ORDER:
            reader.problem(title, 0, "", "unknown sheet")
    if reader.problems:
        raise RegisterError(reader.problems)
    doc: dict[str, Any] = {"riskatlas": 1}
    _key_values(reader, doc, tables)
    keyed = _parts(reader, doc, tables)

    def evidence_owner(number: int, loose: dict[str, Any]) -> Any:
        title, key = _text(loose.get("sheet")).strip(), _text(loose.get("item")).strip()
        if title not in {s.title for s in SHEETS if s.key}:
            reader.problem(EVIDENCE.title, number, "sheet", f"no sheet {title!r} has evidence")
            return None
        found = keyed.get(title, {}).get(key)
        if found is None:
            reader.problem(EVIDENCE.title, number, "item", f"no {key!r} in sheet {title!r}")
        return found

    def link_owner(number: int, loose: dict[str, Any]) -> Any:
        key = _text(loose.get("actor")).strip()
        found = keyed.get("Actors", {}).get(key)
        if found is None:
            reader.problem(LINKS.title, number, "actor", f"no {key!r} in sheet 'Actors'")
        return found

    _attach(reader, EVIDENCE, tables[EVIDENCE.title], evidence_owner, "evidence")
    _attach(reader, LINKS, tables[LINKS.title], link_owner, "links")
    _grid(reader, doc, tables[GRID_SHEET])
    _in_format_order(doc)
    doc["assessment"].update(keep or {})
    _name_problems(reader, doc)  # every problem at once, the cells' and the document's
    if reader.problems:
        key = {title: i for i, title in enumerate(ORDER)}
        order = sorted(reader.problems, key=lambda p: (key.get(p.sheet, -1), p.row, p.column))
        raise RegisterError(order)
    return normalise(doc)
