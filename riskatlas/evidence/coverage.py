"""What each imported event file covers, and how much of a period the store really holds.

Every event import records one ``coverage`` row per file: its countries and first and last
event dates (read from the file's usable rows), and its **scope** — ``full`` (every event of
those countries and dates), ``sample`` (a selection), or ``unstated`` — with the ``basis`` it
rests on (the import option, the live feed, or an inference from the file name, said as such).

``held_window`` clips a period to the data held for a country and says what stands in the way
of reading a rate from it: a sample, an unstated scope, a country no file covers, or a period
mostly outside the data. Events imported before coverage was recorded count as ``unstated``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb

from riskatlas.evidence.event_days import in_step

SCOPES = ("full", "sample", "unstated")


@dataclass(frozen=True)
class Scope:
    """What an import says about its file: ``kind`` (one of SCOPES) and why it is known."""

    kind: str
    basis: str

    def __post_init__(self) -> None:
        if self.kind not in SCOPES:
            raise ValueError(f"scope {self.kind!r}: expected one of {', '.join(SCOPES)}")


def scope_for(path: Path, stated: str | None = None, *, fetched: bool = False) -> Scope:
    """The scope of an event file: as stated (``--full`` / ``--sample``), as fetched whole from
    a live feed, inferred from a file name that says "sample", or unstated."""
    if stated == "full":
        return Scope("full", "stated at import with --full")
    if stated == "sample":
        return Scope("sample", "stated at import with --sample")
    if stated is not None:
        raise ValueError(f"scope {stated!r}: expected 'full' or 'sample'")
    if fetched:
        return Scope("full", "fetched whole from the source's live feed with --fetch")
    if "sample" in Path(path).name.lower():
        return Scope(
            "sample", f"inferred from the file name {Path(path).name!r}, imported without --full"
        )
    return Scope("unstated", "not stated at import: neither --full nor --sample")


def record_coverage(
    con: duckdb.DuckDBPyConnection, source: str, path: Path, scope: Scope, rows: str
) -> None:
    """Record (or replace) the coverage of ``path``: countries and dates of the usable rows of
    the table expression ``rows`` (columns ``iso3`` and ``event_date``), and ``scope``."""
    con.execute(
        f"""
        INSERT OR REPLACE INTO coverage (source, path, scope, basis, countries, first_date,
                                         last_date, recorded)
        SELECT ?, ?, ?, ?, coalesce(list_sort(list_distinct(list(iso3))), []::VARCHAR[]),
               min(event_date), max(event_date), current_timestamp
        FROM {rows}
        """,
        [source, str(Path(path).resolve()), scope.kind, scope.basis],
    )


@dataclass(frozen=True)
class Span:
    """One file's (or one unrecorded import's) coverage of one country."""

    source: str
    path: str | None
    scope: str
    basis: str
    first: date
    last: date

    def label(self) -> str:
        name = Path(self.path).name if self.path else "earlier imports"
        return f"{self.source.upper()} {name}"

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "file": Path(self.path).name if self.path else None,
            "scope": self.scope,
            "basis": self.basis,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
        }


def has_coverage_table(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        # duckdb_tables() and duckdb_views() read the catalogue only (information_schema is
        # slower); a view too (the Parquet layout's tables are views).
        "SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'coverage')"
        " + (SELECT count(*) FROM duckdb_views() WHERE view_name = 'coverage')"
    ).fetchone()
    return bool(row and row[0])


def country_spans(con: duckdb.DuckDBPyConnection, iso3: str) -> list[Span]:
    """Every recorded file covering ``iso3``, and for each source with events there that no
    recorded file covers, one ``unstated`` span over those events' dates."""
    try:  # without asking the catalogue first (slow on a connection just opened)
        spans = [
            Span(*row)
            for row in con.execute(
                "SELECT source, path, scope, basis, first_date, last_date FROM coverage"
                " WHERE list_contains(countries, ?) AND first_date IS NOT NULL"
                " ORDER BY source, first_date, path",
                [iso3],
            ).fetchall()
        ]
    except duckdb.CatalogException:  # a store from before coverage was recorded
        spans = []
    recorded = sorted({s.source for s in spans})
    # The events counted by day give the same dates from a few blocks, when in step and
    # counting the country. Only the sources no recorded file covers are read, named one by
    # one (so that DuckDB skips the blocks holding only recorded ones: a country whose events
    # all come from recorded files, 0.8 against 2.4 ms cold).
    table = "event_days" if in_step(con, [iso3]) else "events"
    others = f" AND source NOT IN ({', '.join('?' * len(recorded))})" if recorded else ""
    for source, first, last in con.execute(
        f"SELECT source, min(event_date), max(event_date) FROM {table} WHERE country_iso3 = ?"
        f"{others} GROUP BY 1 ORDER BY 1",
        [iso3, *recorded],
    ).fetchall():
        basis = "imported before riskatlas recorded what a file covers"
        spans.append(Span(source, None, "unstated", basis, first, last))
    return spans


def latest_held(con: duckdb.DuckDBPyConnection, iso3: str) -> date | None:
    """The last day of data held for the country (None when nothing covers it)."""
    spans = country_spans(con, iso3)
    return max((s.last for s in spans), default=None)


def day_text(day: date, *, year: bool = True) -> str:
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


@dataclass
class Held:
    """A period asked for, the part of it the store holds data for, and what stands in the way
    of reading a rate from it (``problems``, empty when nothing does)."""

    asked_start: date
    asked_end: date
    start: date
    end: date
    spans: list[Span] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    data_start: date | None = None  # the first day any file covers for these countries

    @property
    def days_asked(self) -> int:
        return (self.asked_end - self.asked_start).days + 1

    @property
    def days(self) -> int:
        return max(0, (self.end - self.start).days + 1)

    def note(self) -> str:
        """ "events 1 Jan–30 Jun 2022: 181 of the 365 days asked"."""
        if not self.days:
            return f"no data held for the {self.days_asked} days asked"
        first = day_text(self.start, year=self.start.year != self.end.year)
        held = f"events {first}–{day_text(self.end)}"
        if self.days == self.days_asked:
            return f"{held}: all {self.days} days asked"
        return f"{held}: {self.days} of the {self.days_asked} days asked"

    def as_dict(self) -> dict[str, object]:
        return {
            "asked_start": self.asked_start.isoformat(),
            "asked_end": self.asked_end.isoformat(),
            "days_asked": self.days_asked,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days_held": self.days,
            "note": self.note(),
            "files": [s.as_dict() for s in self.spans],
            "problems": list(self.problems),
        }


def held_window(
    con: duckdb.DuckDBPyConnection,
    countries: list[str],
    start: date,
    end: date,
    *,
    known: dict[str, list[Span]] | None = None,
) -> Held:
    """Clip ``start``–``end`` to the data held for ``countries`` (ISO alpha-3) and say what
    makes the held data partial; see the module docstring. ``known`` holds countries' spans
    already read (``country_spans``) on ``con``; those read here are added to it."""
    known = {} if known is None else known
    for country in countries:
        if country not in known:
            known[country] = country_spans(con, country)
    spans = {c: known[c] for c in countries}
    every = [s for c in countries for s in spans[c]]
    held = Held(start, end, start, end)
    if not every:
        held.problems.append(f"no imported event data covers {', '.join(countries)}")
        return held
    held.data_start = min(s.first for s in every)
    held.start = max(start, held.data_start)
    held.end = min(end, max(s.last for s in every))
    held.spans = [s for s in every if s.first <= held.end and s.last >= held.start]
    if not held.days:
        first, last = min(s.first for s in every), max(s.last for s in every)
        held.start, held.end = start, end
        held.problems.append(f"the period asked lies outside the imported data ({first} to {last})")
        return held
    for country in countries:
        if not spans[country]:
            held.problems.append(f"no imported event data covers {country}")
    if held.days * 2 < held.days_asked:
        held.problems.append(
            f"the data held covers only {held.days} of the {held.days_asked} days asked"
        )
    held.problems.extend(_scope_problems(held.spans))
    for country in countries:
        here = [s for s in spans[country] if s in held.spans]
        gap = _uncovered_days(here, held.start, held.end)
        if here and gap and all(s.scope == "full" for s in here):
            held.problems.append(
                f"the complete extracts for {country} leave {gap} of the {held.days} days out"
            )
    return held


def _scope_problems(spans: list[Span]) -> list[str]:
    problems = []
    for span in spans:
        if span.scope == "sample":
            problems.append(f"{span.label()} is a sample, not every event ({span.basis})")
        elif span.scope == "unstated":
            problems.append(
                f"{span.label()}: whether it holds every event is not recorded ({span.basis});"
                " re-import it with --full if it does"
            )
    return list(dict.fromkeys(problems))


def _uncovered_days(spans: list[Span], start: date, end: date) -> int:
    """Days from ``start`` to ``end`` that none of ``spans`` covers."""
    uncovered, cursor = 0, start
    for span in sorted(spans, key=lambda s: s.first):
        if span.last < cursor:
            continue
        if span.first > end:
            break
        if span.first > cursor:
            uncovered += (span.first - cursor).days
        cursor = span.last + timedelta(days=1)
        if cursor > end:
            return uncovered
    return uncovered + max(0, (end - cursor).days + 1)
