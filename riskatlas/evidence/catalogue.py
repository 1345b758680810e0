"""The sources that ``riskatlas data import SOURCE PATH`` knows, and how each is imported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from riskatlas.evidence.advice import import_advice_folder, import_us_summary
from riskatlas.evidence.changes import import_feed
from riskatlas.evidence.coverage import Scope, has_coverage_table
from riskatlas.evidence.feeds import FEED_SOURCES
from riskatlas.evidence.importing import (
    Advance,
    EventSource,
    ImportResult,
    Step,
    import_events,
)
from riskatlas.evidence.indicators import (
    import_indicators,
    read_gpi,
    read_homicide,
    read_inform,
    read_population,
    read_who_gho,
    read_world_bank,
)
from riskatlas.evidence.sources.acled import ACLED
from riskatlas.evidence.sources.gdelt import GDELT
from riskatlas.evidence.sources.gtd import GTD
from riskatlas.evidence.sources.ucdp import UCDP_GED

EVENT_SOURCES: dict[str, EventSource] = {s.name: s for s in (ACLED, UCDP_GED, GTD, GDELT)}


@dataclass(frozen=True)
class IndicatorSource:
    name: str
    reader: Callable[[Path], object]
    description: str


INDICATOR_SOURCES: dict[str, IndicatorSource] = {
    s.name: s
    for s in (
        IndicatorSource("gpi", read_gpi, "Global Peace Index, overall score"),
        IndicatorSource("homicide", read_homicide, "homicide rate per 100,000"),
        IndicatorSource("who-road", read_who_gho, "WHO GHO RS_198 road deaths"),
        IndicatorSource("worldbank", read_world_bank, "World Bank indicators (WGI…)"),
        IndicatorSource("inform", read_inform, "INFORM Risk index, all scores"),
        IndicatorSource("population", read_population, "population by area"),
    )
}

ADVICE_SOURCES = ("advisories-us", "advisories")


def source_names() -> list[str]:
    return [*EVENT_SOURCES, *INDICATOR_SOURCES, *ADVICE_SOURCES, *FEED_SOURCES]


def import_file(
    con: duckdb.DuckDBPyConnection,
    source: str,
    path: Path,
    step: Step | None = None,
    *,
    scope: Scope | None = None,
    advance: Advance | None = None,
) -> ImportResult:
    """Import ``path`` as ``source``; raises ValueError naming the known sources if unknown.

    ``scope`` (event sources only) says whether the file is a full extract or a sample;
    ``advance`` (event sources only) is told how far each step's pass over the file has got."""
    path = Path(path)
    if source in EVENT_SOURCES:
        return import_events(con, EVENT_SOURCES[source], path, step, scope, advance)
    if scope is not None:
        raise ValueError(f"{source}: --full and --sample apply to event sources only")
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if source in INDICATOR_SOURCES:
        if step:
            step("reading")
        rows = INDICATOR_SOURCES[source].reader(path)
        if step:
            step("writing")
        return import_indicators(con, source, path, rows)  # type: ignore[arg-type]
    if source in ADVICE_SOURCES:
        if step:
            step("reading")
        if source == "advisories-us":
            return import_us_summary(con, path)
        return import_advice_folder(con, path)
    if source in FEED_SOURCES:
        if step:
            step("reading")
        return import_feed(con, source, path)
    raise ValueError(f"unknown source {source!r}; known: {', '.join(source_names())}")


def status(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """Per source: rows loaded and rejected, the date range, and the last import."""
    out: dict[str, dict[str, object]] = {}
    for source, n, first, last in con.execute(
        "SELECT source, count(*), min(event_date), max(event_date) FROM events GROUP BY 1"
    ).fetchall():
        out[source] = {"kind": "events", "rows_loaded": n, "from": str(first), "to": str(last)}
    for source, n, first, last in con.execute(
        "SELECT source, count(*), min(year), max(year) FROM indicators GROUP BY 1"
    ).fetchall():
        out[source] = {"kind": "indicators", "rows_loaded": n, "from": str(first), "to": str(last)}
    for government, n, last in con.execute(
        "SELECT 'advisories-' || government, count(*), max(updated) FROM advisories GROUP BY 1"
    ).fetchall():
        out[government] = {"kind": "advice", "rows_loaded": n, "from": None, "to": last}
    hazards = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'hazards'"
    ).fetchone()
    for source, n, first, last in (
        con.execute(
            "SELECT source, count(*), min(event_date), max(event_date) FROM hazards GROUP BY 1"
        ).fetchall()
        if hazards and hazards[0]  # not in a store from before, opened read-only
        else []
    ):
        out[source] = {"kind": "hazards", "rows_loaded": n, "from": str(first), "to": str(last)}
    rejected = dict(con.execute("SELECT source, count(*) FROM quarantine GROUP BY 1").fetchall())
    for source in rejected:
        out.setdefault(source, {"kind": "?", "rows_loaded": 0, "from": None, "to": None})
    for source, entry in out.items():
        entry["rows_rejected"] = int(rejected.get(source, 0))
        last = con.execute(
            "SELECT finished, path FROM imports WHERE source = ? ORDER BY finished DESC LIMIT 1",
            [source],
        ).fetchone()
        entry["last_import"] = str(last[0]) if last else None
        entry["last_path"] = last[1] if last else None
        if entry["kind"] == "events":
            entry["coverage"] = _coverage(con, source)
    return [{"source": s, **e} for s, e in sorted(out.items())]


def _coverage(con: duckdb.DuckDBPyConnection, source: str) -> list[dict[str, object]]:
    """Per imported file of an event source: scope (full, sample, unstated) and its basis,
    countries, first and last event date; one "unstated" entry for events of earlier imports
    that no recorded file accounts for."""
    recorded = has_coverage_table(con)  # not in a store from before, opened read-only
    rows = (
        con.execute(
            "SELECT path, scope, basis, countries, first_date, last_date FROM coverage"
            " WHERE source = ? ORDER BY first_date, path",
            [source],
        ).fetchall()
        if recorded
        else []
    )
    files: list[dict[str, object]] = [
        {
            "file": path,
            "scope": scope,
            "basis": basis,
            "countries": list(countries or []),
            "from": str(first) if first else None,
            "to": str(last) if last else None,
        }
        for path, scope, basis, countries, first, last in rows
    ]
    not_in_a_file = (
        " AND NOT EXISTS (SELECT 1 FROM coverage c WHERE c.source = e.source"
        " AND list_contains(c.countries, e.country_iso3))"
    )
    unrecorded = con.execute(
        "SELECT count(*), list_sort(list_distinct(list(country_iso3))), min(event_date),"
        " max(event_date) FROM events e WHERE source = ?" + (not_in_a_file if recorded else ""),
        [source],
    ).fetchone()
    if unrecorded and unrecorded[0]:
        files.append(
            {
                "file": None,
                "scope": "unstated",
                "basis": "imported before riskatlas recorded what a file covers",
                "countries": list(unrecorded[1]),
                "from": str(unrecorded[2]),
                "to": str(unrecorded[3]),
            }
        )
    return files


def coverage_text(files: list[dict[str, object]]) -> str:
    """One line per file: "  f.csv: full — stated at import (--full); COL, 2021-07-01 to …"."""
    lines = []
    for f in files:
        countries = f["countries"]
        assert isinstance(countries, list)
        where = (
            ", ".join(countries) if len(countries) <= 3 else f"{len(countries)} countries"
        ) or "no countries"
        name = Path(str(f["file"])).name if f["file"] else "events of earlier imports"
        lines.append(f"  {name}: {f['scope']} — {f['basis']}; {where}, {f['from']} to {f['to']}")
    return "\n".join(lines)
