"""Evidence references numbered like footnotes.

Each source gets a number the first time the report cites it, walking the report in section
order; every evidence item then shows as ``[n]`` (or ``[n: C4]`` when the item carries its own
credibility) and the graded-sources annex lists the sources under the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskatlas.document.provenance import JUDGEMENT_KIND
from riskatlas.method import Grade

KIND_NAMES = {
    "field-mission": "field mission",
    "official": "official data",
    "press": "press reports",
    "ngo": "NGO report",
    "academic": "academic",
    "commercial": "commercial provider",
    "open-data": "open data",
    "analyst": "analyst judgement",
    "other": "other",
}


# How the graded-sources annex summarises what a source is cited for, in report order.
GROUPS = {
    "Context": "Context",
    "Actor": "Actors",
    "Threat": "Threats",
    "Incident": "Incidents",
    "Risk": "Risks",
    "Recommendation": "Recommendations",
    "Watch item": "Watch items",
    "Area": "Areas",
    "Place": "Places",
}


@dataclass
class Citation:
    """One use of a source as evidence for something in the report; ``where`` reads
    "Group: label", e.g. "Risk: R2 Express kidnapping" or "Context: Neighbours"."""

    where: str
    quote: str = ""
    note: str = ""
    grade: Grade | None = None
    judgement: bool = False  # the source is a named judgement (kind analyst), not a text

    @property
    def group(self) -> str:
        return self.where.split(": ", 1)[0]

    @property
    def label(self) -> str:
        return self.where.split(": ", 1)[-1]


@dataclass
class SourceEntry:
    number: int
    id: str
    title: str
    kind: str
    grade: Grade
    author: str = ""
    date: str = ""
    url: str = ""
    note: str = ""
    citations: list[Citation] = field(default_factory=list)

    @property
    def cited_for(self) -> list[str]:
        """A short summary: "Risks R1, R4", "Actors: Shining Path", "Context (3)"."""
        labels: dict[str, list[str]] = {}
        for c in self.citations:
            items = labels.setdefault(c.group, [])
            if c.label not in items:
                items.append(c.label)
        out = []
        for group, items in labels.items():
            name = GROUPS.get(group, group)
            if group == "Risk":
                out.append(f"{name} " + ", ".join(i.split(" ", 1)[0] for i in items))
            elif group == "Incident":
                out.append(f"{name} " + ", ".join(i.split(".", 1)[0] for i in items))
            elif group == "Actor":
                out.append(f"{name}: " + ", ".join(items))
            else:
                out.append(f"{name} ({len(items)})")
        order = list(GROUPS)
        return sorted(
            out,
            key=lambda t: next(
                (n for n, g in enumerate(order) if t.startswith(GROUPS[g])), len(order)
            ),
        )

    @property
    def quotes(self) -> list[Citation]:
        """Citations that quote the source, each quote once."""
        seen: set[tuple[str, str]] = set()
        out = []
        for c in self.citations:
            if c.quote and (c.where, c.quote) not in seen:
                seen.add((c.where, c.quote))
                out.append(c)
        return out

    @property
    def passages(self) -> list[tuple[str, list[str]]]:
        """Each quoted passage once, with everything it is evidence for (in report order)."""
        order: list[str] = []
        uses: dict[str, list[str]] = {}
        for c in self.citations:
            if not c.quote:
                continue
            if c.quote not in uses:
                order.append(c.quote)
                uses[c.quote] = []
            label = c.where + (f" (graded {c.grade})" if c.grade else "")
            if label not in uses[c.quote]:
                uses[c.quote].append(label)
        return [(quote, uses[quote]) for quote in order]

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def is_judgement(self) -> bool:
        return self.kind == JUDGEMENT_KIND

    @property
    def judgements(self) -> list[tuple[str, list[str]]]:
        """For a judgement source: each reason once, with everything it is given for."""
        if not self.is_judgement:
            return []
        order: list[str] = []
        uses: dict[str, list[str]] = {}
        for c in self.citations:
            why = c.note or "(no reason given)"
            if why not in uses:
                order.append(why)
                uses[why] = []
            if c.where not in uses[why]:
                uses[why].append(c.where)
        return [(why, uses[why]) for why in order]


@dataclass(frozen=True)
class Judgement:
    """A named judgement behind something in the report: who, when and why."""

    by: str
    date: str
    why: str
    number: int


@dataclass(frozen=True)
class Ref:
    number: int
    grade: Grade | None  # set only when the evidence item is graded differently from its source
    judgement_by: str = ""  # who made the judgement, when the source is one (kind analyst)

    @property
    def label(self) -> str:
        if self.judgement_by:
            return f"[{self.number}: judgement of {self.judgement_by}]"
        return f"[{self.number}: {self.grade}]" if self.grade else f"[{self.number}]"


class Citations:
    """Hands out footnote numbers to sources in order of first citation."""

    def __init__(self, sources: list[dict[str, Any]]) -> None:
        self._sources = {s["id"]: s for s in sources}
        self._entries: dict[str, SourceEntry] = {}

    def _entry(self, source_id: str) -> SourceEntry:
        if source_id not in self._entries:
            s = self._sources[source_id]
            self._entries[source_id] = SourceEntry(
                number=len(self._entries) + 1,
                id=s["id"],
                title=s["title"],
                kind=s["kind"],
                grade=Grade(s["reliability"], int(s["credibility"])),
                author=s.get("author", ""),
                date=s.get("date", ""),
                url=s.get("url", ""),
                note=s.get("note", ""),
            )
        return self._entries[source_id]

    def cite(self, evidence: list[dict[str, Any]] | None, where: str) -> list[Ref]:
        refs: list[Ref] = []
        for ev in evidence or []:
            entry = self._entry(ev["source"])
            own = ev.get("credibility")
            grade = Grade(entry.grade.reliability, int(own)) if own is not None else None
            if grade == entry.grade:
                grade = None
            judgement = entry.is_judgement
            entry.citations.append(
                Citation(where, ev.get("quote", ""), ev.get("note", ""), grade, judgement)
            )
            ref = Ref(entry.number, grade, entry.author if judgement else "")
            if ref not in refs:
                refs.append(ref)
        return sorted(refs, key=lambda r: r.number)

    def cite_source(self, source_id: str | None, where: str, credibility: int | None) -> list[Ref]:
        if not source_id:
            return []
        item: dict[str, Any] = {"source": source_id}
        if credibility is not None:
            item["credibility"] = credibility
        return self.cite([item], where)

    def judgements(self, evidence: list[dict[str, Any]] | None) -> list[Judgement]:
        """The named judgements among ``evidence`` (call after ``cite``, which numbers them)."""
        out = []
        for ev in evidence or []:
            entry = self._entry(ev["source"])
            if entry.is_judgement:
                out.append(Judgement(entry.author, entry.date, ev.get("note", ""), entry.number))
        return out

    def annex(self) -> list[SourceEntry]:
        """Every source, cited ones first under their numbers, then the uncited ones."""
        for source_id in self._sources:
            self._entry(source_id)
        return sorted(self._entries.values(), key=lambda e: e.number)
