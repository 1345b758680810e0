"""The sheets of the workbook of every part (``workbook.py``): which part of the interchange
format each one holds and how each column maps to a field.

Kinds of cell: ``text``; ``int`` and ``number``; ``flag`` (yes, or empty); ``ids`` (codes and
ids separated by commas, as the register writes them); ``lines`` (free texts, one per line in
the cell, as the web forms take them). Nested lists of objects have sheets of their own,
tied to their part by its key (columns with an empty path: ``sheet`` and ``item`` of the
evidence, ``actor`` of a link): evidence, actor links; and the matrix's levels and grid.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskatlas.document.register import COLUMNS, REGISTER_SHEET


@dataclass(frozen=True)
class Column:
    heading: str
    path: tuple[str, ...]
    kind: str = "text"


@dataclass(frozen=True)
class Sheet:
    """A sheet of rows, one per item of the list at ``section`` in the document."""

    title: str
    section: tuple[str, ...]
    columns: tuple[Column, ...]
    #: The heading of the column that names an item for the Evidence sheet ("" when the
    #: part carries no evidence); "#" is a number the workbook gives each row.
    key: str = ""
    widths: tuple[tuple[str, int], ...] = ()

    def column(self, heading: str) -> Column | None:
        return next((c for c in self.columns if c.heading == heading), None)

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(c.heading for c in self.columns)


def _c(heading: str, kind: str = "text", path: tuple[str, ...] | None = None) -> Column:
    return Column(heading, path or (heading.replace(" ", "_"),), kind)


_RISK_KINDS = {"exposed": "ids", "measures": "ids", "likelihood": "int", "impact": "int"}
#: The register's columns as fields (its level columns are worked out, not read).
RISK_COLUMNS = tuple(
    Column(heading, path, _RISK_KINDS.get(path[-1], "text")) for heading, path in COLUMNS if path
)
COMPUTED = frozenset(heading for heading, path in COLUMNS if not path)

#: (heading, path, kind) of the Assessment sheet, one field a row.
ASSESSMENT_FIELDS: tuple[Column, ...] = (
    _c("slug"),
    _c("title"),
    _c("country"),
    _c("version", "int"),
    _c("status"),
    _c("language"),
    _c("scope"),
    Column("author", ("author", "name")),
    Column("organisation", ("author", "organisation")),
    Column("field visit start", ("field_visit", "start")),
    Column("field visit end", ("field_visit", "end")),
    Column("field visit note", ("field_visit", "note")),
    _c("as of"),
    _c("review by"),
    _c("likelihood period"),
    _c("risk appetite"),
    _c("summary"),
    _c("trend"),
    _c("trend note"),
    _c("provenance"),
)
MATRIX_FIELDS: tuple[Column, ...] = (
    _c("id"),
    _c("version", "int"),
    _c("name"),
)
#: Key-value sheets: (title, section of the document, fields).
KEY_VALUE_SHEETS: tuple[tuple[str, str, tuple[Column, ...]], ...] = (
    ("Assessment", "assessment", ASSESSMENT_FIELDS),
    ("Matrix", "matrix", MATRIX_FIELDS),
)
GRID_SHEET = "Matrix grid"
EVIDENCE_SHEET = "Evidence"
LINKS_SHEET = "Actor links"

RISKS = Sheet(REGISTER_SHEET, ("risks",), RISK_COLUMNS, key="id")
SHEETS: tuple[Sheet, ...] = (
    RISKS,
    Sheet(
        "Areas",
        ("areas",),
        (
            _c("code"),
            _c("name"),
            _c("parts", "ids"),
            _c("description"),
            _c("hot spot", "flag"),
            _c("no-go", "flag", ("no_go",)),
            _c("level", "int"),
            _c("level reason"),
            _c("not assessed reason"),
        ),
        key="code",
        widths=(("description", 40), ("level reason", 40)),
    ),
    Sheet(
        "Places",
        ("places",),
        (
            _c("id"),
            _c("name"),
            _c("kind"),
            _c("area"),
            _c("spellings", "lines"),
            _c("lat", "number"),
            _c("lon", "number"),
            _c("description"),
        ),
        key="id",
    ),
    Sheet(
        "Exposure groups",
        ("exposure", "groups"),
        (_c("id"), _c("name"), _c("description")),
    ),
    Sheet(
        "Activities",
        ("exposure", "activities"),
        (_c("name"), _c("description"), _c("areas", "ids")),
    ),
    Sheet(
        "Sites",
        ("exposure", "sites"),
        (_c("name"), _c("place"), _c("description")),
    ),
    Sheet(
        "Routes",
        ("exposure", "routes"),
        (_c("name"), _c("from"), _c("to"), _c("description")),
    ),
    Sheet(
        "Sources",
        ("sources",),
        (
            _c("id"),
            _c("title"),
            _c("kind"),
            _c("author"),
            _c("date"),
            _c("url"),
            _c("reliability"),
            _c("credibility", "int"),
            _c("note"),
        ),
        widths=(("title", 40), ("url", 40)),
    ),
    Sheet(
        "Context",
        ("context",),
        (_c("#", "int", ("#",)), _c("topic"), _c("title"), _c("text")),
        key="#",
        widths=(("text", 80),),
    ),
    Sheet(
        "Actors",
        ("actors",),
        (
            _c("id"),
            _c("name"),
            _c("aliases", "lines"),
            _c("type"),
            _c("status"),
            _c("description"),
            Column("strength", ("strength", "estimate")),
            Column("strength fighters", ("strength", "fighters"), "int"),
            Column("strength as of", ("strength", "as_of")),
            Column("strength source", ("strength", "source")),
            Column("strength credibility", ("strength", "credibility"), "int"),
            _c("areas", "ids"),
            _c("categories", "ids"),
        ),
        key="id",
        widths=(("description", 60),),
    ),
    Sheet(
        "Incidents",
        ("incidents",),
        (
            _c("id"),
            _c("title"),
            _c("date"),
            _c("place"),
            _c("area"),
            _c("categories", "ids"),
            _c("actors", "ids"),
            Column("killed", ("casualties", "killed"), "int"),
            Column("injured", ("casualties", "injured"), "int"),
            Column("abducted", ("casualties", "abducted"), "int"),
            _c("description"),
        ),
        key="id",
        widths=(("title", 40), ("description", 60)),
    ),
    Sheet(
        "Threats",
        ("threats",),
        (
            _c("category"),
            _c("summary"),
            _c("modus operandi"),
            _c("targeting"),
            _c("trend"),
            _c("trend note"),
        ),
        key="category",
        widths=(("summary", 60),),
    ),
    Sheet(
        "Measures",
        ("mitigations",),
        (_c("code"), _c("name"), _c("domain"), _c("description"), _c("threats", "ids")),
        widths=(("name", 30), ("description", 60)),
    ),
    Sheet(
        "Recommendations",
        ("recommendations",),
        (
            _c("id"),
            _c("text"),
            _c("priority"),
            _c("mitigation"),
            _c("risks", "ids"),
            _c("applies to", "ids"),
        ),
        key="id",
        widths=(("text", 60),),
    ),
    Sheet(
        "Watch items",
        ("watch_items",),
        (
            _c("id"),
            _c("title"),
            _c("kind"),
            _c("date"),
            _c("description"),
            _c("areas", "ids"),
            _c("categories", "ids"),
            _c("triggers", "lines"),
        ),
        key="id",
        widths=(("description", 40), ("triggers", 40)),
    ),
    Sheet(
        "Official advice",
        ("official_advice",),
        (
            _c("government"),
            _c("level"),
            _c("as of"),
            _c("summary"),
            _c("no-go", "ids", ("no_go",)),
            _c("url"),
        ),
        widths=(("level", 30), ("summary", 40)),
    ),
    Sheet(
        "Matrix levels",
        ("matrix", "levels"),
        (_c("code"), _c("name"), _c("colour"), _c("rank", "int")),
    ),
)
EVIDENCE = Sheet(
    EVIDENCE_SHEET,
    ("evidence",),
    (
        Column("sheet", ()),
        Column("item", ()),
        _c("source"),
        _c("credibility", "int"),
        _c("quote"),
        _c("note"),
    ),
    widths=(("quote", 60), ("note", 40)),
)
LINKS = Sheet(
    LINKS_SHEET,
    ("links",),
    (Column("actor", ()), Column("linked actor", ("actor",)), _c("relation")),
)
BY_TITLE = {s.title: s for s in SHEETS}
#: Every sheet a workbook may hold, in the order it is written.
ORDER: tuple[str, ...] = (
    REGISTER_SHEET,
    "Assessment",
    *(s.title for s in SHEETS[1:] if s.title != "Matrix levels"),
    EVIDENCE_SHEET,
    LINKS_SHEET,
    "Matrix",
    "Matrix levels",
    GRID_SHEET,
)
