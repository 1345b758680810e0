"""The sources that ``riskatlas data import SOURCE PATH`` knows, and how each is imported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from riskatlas.evidence.advice import import_advice_folder, import_us_summary
from riskatlas.evidence.importing import EventSource, ImportResult, Step, import_events
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
    return [*EVENT_SOURCES, *INDICATOR_SOURCES, *ADVICE_SOURCES]


def import_file(
    con: duckdb.DuckDBPyConnection, source: str, path: Path, step: Step | None = None
) -> ImportResult:
    """Import ``path`` as ``source``; raises ValueError naming the known sources if unknown."""
    path = Path(path)
    if source in EVENT_SOURCES:
        return import_events(con, EVENT_SOURCES[source], path, step)
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
    return [{"source": s, **e} for s, e in sorted(out.items())]
