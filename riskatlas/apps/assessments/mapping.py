"""How one kind of part maps between the interchange document and the database.

Each app describes its own kinds of part as a ``PartMapper``: where the part sits in the
document (``section``), its model, and its fields, each named once with its document name and
model attribute, so the same list both stores a document's items (``from_document``) and reads
stored rows back (``to_document``). The ordered registry that import and export loop over is
``riskatlas.apps.assessments.interchange.registry``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from riskatlas.apps.assessments.models import AssessmentVersion

Item = dict[str, Any]


def to_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def to_iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def compact(item: Item) -> Item:
    """``item`` without its empty optional values: the format leaves them out."""
    return {key: value for key, value in item.items() if not is_empty(value)}


def _same(value: Any) -> Any:
    return value


def _nothing() -> None:
    return None


@dataclass
class Lookups:
    """What later kinds of part need from earlier ones while a version is stored or read.

    ``rows``: the stored parts by their id in the document, per section ("sources", "areas",
    "places", "actors"); ``ids``: those ids by database id, per section; ``to_file``: evidence
    items to store once everything exists, as (subject kind, subject's database id, items);
    ``filed``: stored evidence as document items, by (subject kind, subject's database id)."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    ids: dict[str, dict[int, str]] = field(default_factory=dict)
    to_file: list[tuple[str, int, list[Item]]] = field(default_factory=list)
    filed: dict[tuple[str, int], list[Item]] = field(default_factory=dict)

    def remember(self, mapper: PartMapper, rows: Iterable[Any]) -> None:
        """Note the parts of ``mapper``'s kind, so later kinds can refer to them."""
        if mapper.id_attr is None:
            return
        by_id = self.rows.setdefault(mapper.name, {})
        by_pk = self.ids.setdefault(mapper.name, {})
        for row in rows:
            by_id[getattr(row, mapper.id_attr)] = row
            by_pk[row.pk] = getattr(row, mapper.id_attr)


@dataclass(frozen=True)
class Field:
    """One field of a part: ``key`` in the document, ``attr`` on the model (if it differs).

    An absent optional value is stored as ``empty()``; ``load`` and ``dump`` convert a value
    into the model's form and back (dates, for instance)."""

    key: str
    attr: str = ""
    required: bool = False
    empty: Callable[[], Any] = str
    load_value: Callable[[Any], Any] = _same
    dump_value: Callable[[Any], Any] = _same

    @property
    def name(self) -> str:
        return self.attr or self.key

    def load(self, item: Item, lookups: Lookups, values: dict[str, Any]) -> None:
        value = item[self.key] if self.required else item.get(self.key, self.empty())
        values[self.name] = self.load_value(value)

    def dump(self, row: Any, lookups: Lookups) -> Any:
        return self.dump_value(getattr(row, self.name))


def required(key: str, attr: str = "", load: Callable[[Any], Any] = _same) -> Field:
    return Field(key, attr, required=True, load_value=load)


def text(key: str, attr: str = "", load: Callable[[Any], Any] = _same) -> Field:
    return Field(key, attr, load_value=load)


def number(key: str, attr: str = "") -> Field:
    return Field(key, attr, empty=_nothing)


def many(key: str, attr: str = "") -> Field:
    """A list (of codes, ids, names…); empty when absent."""
    return Field(key, attr, empty=list)


def date(key: str, attr: str = "") -> Field:
    return Field(key, attr, empty=_nothing, load_value=to_date, dump_value=to_iso)


def flag(key: str) -> Field:
    """A yes/no flag, left out of the document when false."""
    return Field(key, empty=bool, dump_value=lambda value: value or None)


@dataclass(frozen=True)
class Ref(Field):
    """Another part, named in the document by its id: ``table`` is that part's section."""

    table: str = ""

    def load(self, item: Item, lookups: Lookups, values: dict[str, Any]) -> None:
        found = lookups.rows.get(self.table, {})
        value = found[item[self.key]] if self.required else found.get(item.get(self.key, ""))
        values[self.name] = value

    def dump(self, row: Any, lookups: Lookups) -> Any:
        ids = lookups.ids.get(self.table, {})
        pk = getattr(row, f"{self.name}_id")
        return ids[pk] if self.required else ids.get(pk or 0)


def ref(key: str, attr: str = "", *, table: str, required: bool = False) -> Ref:
    return Ref(key, attr, required=required, table=table)


def _always(row: Any) -> bool:
    return True


@dataclass(frozen=True)
class Group(Field):
    """Fields kept together under one key of the document (a risk's ``inherent`` rating, an
    actor's ``strength``); ``shown`` says whether a stored row has the group at all."""

    fields: tuple[Field, ...] = ()
    shown: Callable[[Any], bool] = _always

    def load(self, item: Item, lookups: Lookups, values: dict[str, Any]) -> None:
        inner = item[self.key] if self.required else item.get(self.key) or {}
        for part in self.fields:
            part.load(inner, lookups, values)

    def dump(self, row: Any, lookups: Lookups) -> Any:
        if not self.shown(row):
            return None
        return compact({part.key: part.dump(row, lookups) for part in self.fields})


def group(
    key: str, *fields: Field, required: bool = False, shown: Callable[[Any], bool] = _always
) -> Group:
    return Group(key, required=required, fields=fields, shown=shown)


@dataclass(frozen=True)
class PartMapper:
    """One kind of part: its ``section`` of the document (a key, or a path such as
    ``("exposure", "sites")``), its model and its fields; ``id_attr`` is what other parts call
    it by, ``evidence_kind`` the subject kind of the evidence filed under it."""

    section: tuple[str, ...]
    model: type[Model]
    fields: tuple[Field, ...]
    id_attr: str | None = None
    evidence_kind: str | None = None

    @property
    def name(self) -> str:
        return self.section[-1]

    def rows(self, version: AssessmentVersion) -> list[Any]:
        """The version's stored parts of this kind, in order."""
        return list(self.model._default_manager.filter(version=version))

    def to_document(self, rows: list[Any], lookups: Lookups) -> list[Item]:
        return [self.item(row, lookups) for row in rows]

    def item(self, row: Any, lookups: Lookups) -> Item:
        out = {part.key: part.dump(row, lookups) for part in self.fields}
        out["evidence"] = self.evidence_of(row, lookups)
        return compact(out)

    def evidence_of(self, row: Any, lookups: Lookups) -> list[Item]:
        """The evidence filed under ``row``, as document items."""
        if not self.evidence_kind:
            return []
        return lookups.filed.get((self.evidence_kind, row.pk), [])

    def from_document(
        self, version: AssessmentVersion, items: list[Item], lookups: Lookups
    ) -> list[Any]:
        """Store ``items`` as parts of ``version``; their evidence waits in ``lookups``."""
        rows = []
        for position, item in enumerate(items):
            row = self.model._default_manager.create(
                version=version, position=position, **self.values(item, lookups)
            )
            if self.evidence_kind:
                lookups.to_file.append((self.evidence_kind, row.pk, item.get("evidence") or []))
            rows.append(row)
        return rows

    def values(self, item: Item, lookups: Lookups) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for part in self.fields:
            part.load(item, lookups, values)
        return values
