"""Open-data evidence for every risk of an assessment document: which events of the risk's
category happened in its area over the latest year of imported data. Pure Python + DuckDB."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from riskatlas.evidence.analytics import _countries
from riskatlas.evidence.areas import country_iso3
from riskatlas.evidence.coverage import country_spans
from riskatlas.evidence.evidence_cache import remembered
from riskatlas.evidence.panels import Ask, evidence_panels, normalise_ask
from riskatlas.evidence.reading import Reading
from riskatlas.evidence.store import StoreBusy

WINDOW_DAYS = 365
SAMPLES = 3  # sample events shown beside each risk


def _store_country(db_path: Path | None, doc: dict[str, Any]) -> str | None:
    """The document's country as the store's ISO alpha-3, or None without a store."""
    if db_path is None or not Path(db_path).is_file():
        return None
    return country_iso3(doc["assessment"]["country"])


def _risk_areas(doc: dict[str, Any], code: str) -> list[str]:
    """ISO codes for a risk's area: a custom area stands for its parts."""
    for area in doc.get("areas") or []:
        if area["code"] == code and area.get("parts"):
            return list(area["parts"])
    return [code]


def _asks(doc: dict[str, Any]) -> dict[str, Ask]:
    """Each risk's ask (its area's ISO codes and its category), by risk id, in order."""
    return {
        risk["id"]: normalise_ask(_risk_areas(doc, risk["area"]), risk["category"])
        for risk in doc.get("risks") or []
    }


def countries_read(doc: dict[str, Any]) -> list[str]:
    """The countries (ISO alpha-3) whose events the document's panels read: its own, and those
    of its risks' areas (a custom area's parts may lie across a border)."""
    own = country_iso3(doc["assessment"]["country"])
    try:
        codes = [code for codes, _category in _asks(doc).values() for code in codes]
    except ValueError:  # a risk without a known category has no panel
        codes = []
    found = {c for c in _countries(codes) if len(c) == 3 and c.isalpha() and c.isupper()}
    return sorted(found | ({own} if own else set()))


def risk_evidence(
    db_path: Path | None, doc: dict[str, Any], *, reading: Reading | None = None
) -> dict[str, Any]:
    """{"state": ..., "window": (start, end), "panels": {risk id: panel}} for a document.

    ``window`` is the year asked (up to the last day of data held for the country); each panel
    says which part of it the data cover and whether they suffice to suggest a likelihood.
    state is "ok", "no-store" (nothing imported), "no-events" (none for this country) or
    "busy" (an import is writing to the store right now).

    All panels come from one connection and a few grouped queries (``panels``), and the answer
    is kept in memory for as long as neither the store's files nor what the panels read of the
    document (country, risk ids, areas, categories) change (``evidence_cache``). ``reading``
    lends its connection (a page reads its official advice on the same one)."""
    iso3 = _store_country(db_path, doc)
    if iso3 is None:
        return {"state": "no-store", "window": None, "panels": {}}
    assert db_path is not None
    asks = _asks(doc)
    key = (iso3, tuple(asks.items()))
    if reading is not None:
        return remembered(Path(db_path), key, lambda: _read(reading, iso3, asks))

    def alone() -> dict[str, Any]:
        with Reading(Path(db_path)) as own:
            return _read(own, iso3, asks)

    return remembered(Path(db_path), key, alone)


def _read(reading: Reading, iso3: str, asks: dict[str, Ask]) -> dict[str, Any]:
    """``risk_evidence`` read from the store, on one connection."""
    try:
        con = reading.connection()
        spans = country_spans(con, iso3)
        last = max((s.last for s in spans), default=None)
        if last is None:
            return {"state": "no-events", "window": None, "panels": {}}
        start, end = last - timedelta(days=WINDOW_DAYS - 1), last
        by_ask = evidence_panels(
            con, list(asks.values()), start, end, samples=SAMPLES, spans={iso3: spans}
        )
    except StoreBusy:
        return {"state": "busy", "window": None, "panels": {}}
    panels = {rid: by_ask[ask] for rid, ask in asks.items() if by_ask[ask]["events"]}
    return {"state": "ok", "window": (start, end), "panels": panels}


def advice_beside(
    db_path: Path | None,
    doc: dict[str, Any],
    own_levels: dict[str, tuple[str, int]],
    today: date | None = None,
    *,
    reading: Reading | None = None,
) -> dict[str, Any]:
    """Imported official advice beside the assessment's own levels (report section 12).

    ``own_levels`` maps ISO area codes of the assessment to (name, security level 1–5); the
    country comes first. Returns {"state", "governments": [...], "rows": [{"code", "name",
    "own_level", "comparisons": [...]}], "max_age_days"}, one row per area, one comparison per
    government; each government and comparison carries its advice's ``date`` and ``stale``
    (older than ``$RISKATLAS_ADVICE_MAX_AGE_DAYS``, default 365, on ``today``). ``reading``
    lends its connection, as to ``risk_evidence``."""
    from riskatlas.evidence.advice import compare_with_advice, official_advice
    from riskatlas.evidence.advice_dates import advice_age, advice_max_age_days

    iso3 = _store_country(db_path, doc)
    if iso3 is None:
        return {"state": "no-store", "governments": [], "rows": []}
    country = doc["assessment"]["country"]
    assert db_path is not None
    try:
        # Kept, as the panels are, while the store is unchanged (each caller gets a copy).

        def read() -> dict[str, Any]:
            if reading is not None:
                return {"rows": official_advice(db_path, iso3, con=reading.connection())}
            return {"rows": official_advice(db_path, iso3)}

        governments = remembered(Path(db_path), ("advice", iso3), read)["rows"]
    except StoreBusy:
        return {"state": "busy", "governments": [], "rows": []}
    if not governments:
        return {"state": "no-advice", "governments": [], "rows": []}
    today = today or date.today()
    max_age = advice_max_age_days()
    for government in governments:
        government.update(advice_age(government.get("updated"), today, max_age))
    rows = []
    for code, (name, level) in own_levels.items():
        area = None if code == country else code
        rows.append(
            {
                "code": code,
                "name": name,
                "own_level": level,
                "comparisons": compare_with_advice(
                    governments, level, area, today=today, max_age_days=max_age
                ),
            }
        )
    return {"state": "ok", "governments": governments, "rows": rows, "max_age_days": max_age}
