"""Official advice as flat records, one per government and area (``riskatlas advice``).

Each record: ``government``, ``country`` (ISO 3166-1 alpha-2), ``area`` (the country's
alpha-2 for the national level, an ISO 3166-2 code for a subdivision, None for a named place
smaller than a subdivision), ``name``, ``level`` (1-4), ``text`` (the sentence it came from),
``note`` (exceptions), ``place`` and ``date`` (of the advice, where stated).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskatlas.evidence.advice import CountryAdvice, read_advice_folder
from riskatlas.evidence.areas import area_name, country_alpha2
from riskatlas.evidence.store import connect


def _record(
    government: str, iso3: str, area: str | None, name: str, level: int, text: str,
    note: str, place: bool, when: str | None,
) -> dict[str, Any]:  # fmt: skip
    return {
        "government": government,
        "country": country_alpha2(iso3),
        "area": area,
        "name": name,
        "level": level,
        "text": " ".join((text or "").split()),
        "note": note or "",
        "place": place,
        "date": when,
    }


def records_of(advice: list[CountryAdvice]) -> list[dict[str, Any]]:
    records = []
    for item in advice:
        alpha2 = country_alpha2(item.iso3)
        if item.level is not None:
            records.append(_record(item.government, item.iso3, alpha2, area_name(alpha2 or ""),
                                   item.level, item.summary, "", False, item.updated))  # fmt: skip
        for a in item.areas:
            records.append(_record(item.government, item.iso3, a.area_code, a.area, a.level,
                                   a.text, a.note, a.place, item.updated))  # fmt: skip
    return records


def records_from_folder(folder: Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Records read from ``folder`` (``GOVERNMENT/Country/*.md``) and what could not be read."""
    advice, rejected = read_advice_folder(folder)
    return records_of(advice), rejected


def records_from_store(db_path: str | Path | None) -> list[dict[str, Any]]:
    """Records of the advice imported into the evidence store (``data import advisories``)."""
    con = connect(db_path, read_only=True)
    try:
        national = con.execute(
            "SELECT government, country_iso3, level, summary, updated FROM advisories"
            " WHERE level IS NOT NULL ORDER BY government, country_iso3"
        ).fetchall()
        areas = con.execute(
            "SELECT a.government, a.country_iso3, a.area_code, a.area, a.level, a.text, a.note,"
            " a.place, v.updated FROM advisory_areas a LEFT JOIN advisories v"
            " ON v.government = a.government AND v.country_iso3 = a.country_iso3"
            " ORDER BY a.government, a.country_iso3, a.ordinal"
        ).fetchall()
    finally:
        con.close()
    records = [
        _record(g, iso3, country_alpha2(iso3), area_name(country_alpha2(iso3) or ""), level,
                text or "", "", False, when)
        for g, iso3, level, text, when in national
    ]  # fmt: skip
    records += [
        _record(g, iso3, code, name, level, text or "", note or "", bool(place), when)
        for g, iso3, code, name, level, text, note, place, when in areas
    ]
    return sorted(records, key=lambda r: (r["government"], r["country"] or "", r["area"] is None))
