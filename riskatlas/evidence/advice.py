"""Official travel advice: national levels and regional no-go areas, side by side.

Two inputs: the US State Department's summary CSV (one level per country) and folders of
advice pages as Markdown (``<folder>/<government>/<Country>/*.md``), read by rule with the
level phrases of ``data/advice_levels.yaml`` (``advice_reading``: every named subdivision at
its stated level, named places apart). ``official_advice(db, iso3)`` returns, per government,
the national level and every area it names, for report section 12; ``compare_with_advice``
sets them beside an assessment's levels, dated (``advice_dates``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from riskatlas.evidence._data import load_yaml
from riskatlas.evidence.advice_dates import advice_age, advice_date, advice_max_age_days
from riskatlas.evidence.advice_reading import AreaAdvice, read_pages
from riskatlas.evidence.areas import country_iso3
from riskatlas.evidence.importing import ImportResult, log_import
from riskatlas.evidence.indicators import read_text
from riskatlas.evidence.store import connect, transaction

LEVEL_NAMES = {
    1: "normal precautions",
    2: "increased caution",
    3: "reconsider travel / avoid non-essential travel",
    4: "do not travel",
}


def level_in_words(level: int) -> str:
    """ "level 3 (reconsider travel / avoid non-essential travel)"; the number alone off the
    scale."""
    return f"level {level}" + (f" ({LEVEL_NAMES[level]})" if level in LEVEL_NAMES else "")


#: Governments whose advice is read from a feed only (no advice pages, no level phrases).
FEED_ONLY_GOVERNMENTS = {"germany": "Germany (Federal Foreign Office)"}


def government_name(government: str) -> str:
    """The name people know a government's advice by ("Canada (Global Affairs)" for
    ``canada``), else the id itself."""
    names = load_yaml("advice_levels.yaml")["governments"]
    return str(
        names.get(government, {}).get("name") or FEED_ONLY_GOVERNMENTS.get(government, government)
    )


@dataclass
class CountryAdvice:
    government: str
    iso3: str
    level: int | None
    level_text: str
    updated: str | None = None
    url: str | None = None
    summary: str = ""
    areas: list[AreaAdvice] = field(default_factory=list)


def import_us_summary(con: duckdb.DuckDBPyConnection, path: Path) -> ImportResult:
    """The US summary CSV: destination, risk_level ("Level 2: …"), risk_level_number, dates.

    The file repeats some destinations (country-information rows with no level, other
    spellings such as "Burma" beside "Burma (Myanmar)"): per country, the row with a level
    wins, and the repeats are counted as skipped. "Other" (Mexico, Israel) means no single
    level: the regional levels are in the advice pages.
    """
    result = ImportResult(source="advisories-unitedstates", path=str(path))
    rows = list(csv.DictReader(io.StringIO(read_text(path))))
    advice: list[CountryAdvice] = []
    seen: dict[str, CountryAdvice] = {}
    rejected: list[tuple[int, str, str]] = []
    for record, row in enumerate(rows, start=2):
        result.rows_seen += 1
        iso3 = country_iso3(row.get("destination"))
        level_text = (row.get("risk_level") or "").strip()
        found = re.search(r"Level\s*([1-4])", level_text)
        number = (row.get("risk_level_number") or "").strip()
        level = int(number) if number.isdigit() else int(found.group(1)) if found else None
        if iso3 is None:
            rejected.append(
                (record, f"destination not recognised: {row.get('destination')}", str(row))
            )
            continue
        item = CountryAdvice(
            "unitedstates",
            iso3,
            level,
            level_text if level_text and level_text != "Other" else "no single level",
            updated=(row.get("last_updated_advisory") or "")[:10] or None,
            url=row.get("advisory_details_url") or None,
        )
        first = seen.get(iso3)
        if first is None:
            seen[iso3] = item
            advice.append(item)
        else:
            result.rows_skipped += 1
            if first.level is None and item.level is not None:
                advice[advice.index(first)] = seen[iso3] = item
    if result.rows_skipped:
        result.skipped_reasons = {
            "destination repeated (the row with a level kept)": result.rows_skipped
        }
    with transaction(con):
        result.rows_added = _write(con, advice, replace_areas=False)
        for record, reason, raw in rejected:
            con.execute(
                "INSERT OR IGNORE INTO quarantine VALUES (?, ?, ?, ?, ?, ?)",
                [
                    "advisories-unitedstates",
                    f"{Path(path).name}#{record}",
                    record,
                    reason,
                    raw,
                    str(path),
                ],
            )
        result.rows_rejected = len(rejected)
        for _record, reason, _raw in rejected:
            result.rejected_reasons[reason] = result.rejected_reasons.get(reason, 0) + 1
        result.rows_present = len(advice) - result.rows_added
        log_import(con, result)
    return result


def parse_advice(
    government: str, country: str, pages: dict[str, str], info: dict[str, Any] | None = None
) -> CountryAdvice:
    """National level and areas from one government's Markdown pages for a country, read by
    ``advice_reading.read_pages``; ``info`` is the scraper's info.json beside the pages, read
    for the date when the pages do not state it."""
    iso3 = country_iso3(country)
    if iso3 is None:
        raise ValueError(f"{government}/{country}: country not recognised")
    config = load_yaml("advice_levels.yaml")["governments"][government]
    main = "\n".join(pages.get(name, "") for name in config["main_files"])
    reading = read_pages(main, config["phrases"], iso3, country, config.get("status_heading", ""))
    level = reading.level
    return CountryAdvice(
        government,
        iso3,
        level,
        LEVEL_NAMES.get(level, "no whole-country level") if level else "no whole-country level",
        updated=advice_date(main, info),
        summary=" ".join(reading.text.split())[:400],
        areas=reading.areas,
    )


def read_advice_folder(folder: Path) -> tuple[list[CountryAdvice], list[tuple[str, str]]]:
    """Every ``<government>/<Country>/*.md`` under ``folder`` whose government is configured:
    (advice read, [(government/Country, why it could not be read)])."""
    configured = load_yaml("advice_levels.yaml")["governments"]
    advice: list[CountryAdvice] = []
    rejected: list[tuple[str, str]] = []
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"{folder}: no such folder (GOVERNMENT/Country/*.md expected)")
    for government_dir in sorted(p for p in Path(folder).iterdir() if p.is_dir()):
        if government_dir.name not in configured:
            known = ", ".join(sorted(configured))
            rejected.append((government_dir.name, f"not a government read here ({known})"))
            continue
        for country_dir in sorted(p for p in government_dir.iterdir() if p.is_dir()):
            pages = {p.name: p.read_text("utf-8") for p in country_dir.glob("*.md")}
            key = f"{government_dir.name}/{country_dir.name}"
            try:
                info = _info(country_dir / "info.json")
                advice.append(parse_advice(government_dir.name, country_dir.name, pages, info))
            except ValueError as exc:
                rejected.append((key, str(exc)))
    return advice, rejected


def _info(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        value = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: line {exc.lineno}: not JSON ({exc.msg})") from exc
    return value if isinstance(value, dict) else None


def import_advice_folder(con: duckdb.DuckDBPyConnection, folder: Path) -> ImportResult:
    """Every ``<government>/<Country>/*.md`` under ``folder`` whose government is configured."""
    result = ImportResult(source="advisories", path=str(folder))
    advice, rejected = read_advice_folder(folder)
    result.rows_seen = len(advice) + len(rejected)
    with transaction(con):
        result.rows_added = _write(con, advice, replace_areas=True)
        for key, reason in rejected:
            con.execute(
                "INSERT OR IGNORE INTO quarantine VALUES (?, ?, NULL, ?, NULL, ?)",
                ["advisories", key, reason, str(folder)],
            )
        result.rows_rejected = len(rejected)
        result.rows_present = len(advice) - result.rows_added
        log_import(con, result)
    return result


def _write(
    con: duckdb.DuckDBPyConnection, advice: list[CountryAdvice], *, replace_areas: bool
) -> int:
    added = 0
    for item in advice:
        exists = con.execute(
            "SELECT level, updated, url FROM advisories WHERE government = ? AND country_iso3 = ?",
            [item.government, item.iso3],
        ).fetchone()
        added += exists is None
        if exists is not None:
            # The summary CSV and the Markdown pages complement each other: keep what is known.
            item.level = item.level if item.level is not None else exists[0]
            item.updated = item.updated or exists[1]
            item.url = item.url or exists[2]
        store_country_advice(con, item, replace_areas=replace_areas)
    return added


def store_country_advice(
    con: duckdb.DuckDBPyConnection, item: CountryAdvice, *, replace_areas: bool
) -> None:
    """The government's advice on the country as ``item`` has it and, with ``replace_areas``,
    its areas in place of those held (advice pages and live feeds both write through this)."""
    con.execute(
        "INSERT OR REPLACE INTO advisories (government, country_iso3, level, level_text,"
        " updated, url, summary) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [item.government, item.iso3, item.level, item.level_text, item.updated, item.url,
         item.summary],
    )  # fmt: skip
    if not replace_areas:
        return
    con.execute(
        "DELETE FROM advisory_areas WHERE government = ? AND country_iso3 = ?",
        [item.government, item.iso3],
    )
    for ordinal, area in enumerate(item.areas, start=1):
        con.execute(
            "INSERT INTO advisory_areas (government, country_iso3, ordinal, level, area,"
            " area_code, reason, text, note, place) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [item.government, item.iso3, ordinal, area.level, area.area, area.area_code,
             area.reason, area.text, area.note, area.place],
        )  # fmt: skip


def official_advice(
    db_path: str | Path | None, iso3: str, *, con: duckdb.DuckDBPyConnection | None = None
) -> list[dict[str, Any]]:
    """Per government with imported advice for ``iso3``: its national level and no-go areas.

    Returns plain dicts, most severe government first::

        [{"government": "unitedstates", "government_name": "United States (State Department)",
          "level": 2, "level_name": "increased caution", "level_text": "Level 2: …",
          "updated": "2025-05-16", "url": "…", "summary": "…",
          "areas": [{"area": "…", "area_code": "PE-AYA" | None, "level": 4,
                     "level_name": "do not travel", "text": "the sentence it came from",
                     "note": "excluding …", "place": False}]}]

    ``place`` marks a named place smaller than a subdivision ("within 20 km of the border"),
    which never stands for a whole ISO 3166-2 area. Read on ``con`` when given (left open),
    else on a connection of its own.
    """
    own = con is None
    if con is None:
        con = connect(db_path, read_only=True)
    try:
        rows = con.execute(
            "SELECT government, level, level_text, updated, url, summary FROM advisories"
            " WHERE country_iso3 = ? ORDER BY level DESC NULLS LAST, government",
            [iso3.upper()],
        ).fetchall()
        result = []
        for government, level, level_text, updated, url, summary in rows:
            areas = con.execute(
                "SELECT area, area_code, level, text, note, place FROM advisory_areas"
                " WHERE government = ?"
                " AND country_iso3 = ? ORDER BY level DESC, ordinal",
                [government, iso3.upper()],
            ).fetchall()
            result.append(
                {
                    "government": government,
                    "government_name": government_name(government),
                    "level": level,
                    "level_name": LEVEL_NAMES.get(level) if level else None,
                    "level_text": level_text,
                    "updated": updated,
                    "url": url,
                    "summary": summary,
                    "areas": [
                        {
                            "area": a,
                            "area_code": c,
                            "level": lv,
                            "level_name": LEVEL_NAMES[lv],
                            "text": text or "",
                            "note": note or "",
                            "place": bool(place),
                        }
                        for a, c, lv, text, note, place in areas
                    ],
                }
            )
        return result
    finally:
        if own:
            con.close()


def compare_with_advice(
    advice: list[dict[str, Any]],
    own_level: int,
    area_code: str | None = None,
    *,
    today: date | None = None,
    max_age_days: int | None = None,
) -> list[dict[str, Any]]:
    """Each government's level for an area beside the assessment's own level (section 12).

    ``advice`` is what ``official_advice`` returned for the area's country; ``own_level`` is
    the assessment's security level for the area (1–5), put on the advice scale by
    ``own_levels`` in ``data/advice_levels.yaml``; ``area_code`` (ISO 3166-2) picks a
    government's regional level when it names that area, else its national level applies.
    ``difference`` is the government's level minus ours: positive where the government is
    stricter, negative where we are; ``differs`` marks the rows to highlight. ``date`` is the
    advice's date and ``stale`` says it is older than ``max_age_days`` (default
    ``advice_max_age_days()``) on ``today``, or undated.
    """
    today = today or date.today()
    max_age_days = max_age_days or advice_max_age_days()
    scale: dict[int, int] = load_yaml("advice_levels.yaml")["own_levels"]
    if own_level not in scale:
        raise ValueError(f"own level must be one of {sorted(scale)}, not {own_level!r}")
    ours = scale[own_level]
    rows = []
    for government in advice:
        regional = [
            a for a in government["areas"]
            if area_code and a["area_code"] == area_code and not a.get("place")
        ]  # fmt: skip
        level = max((a["level"] for a in regional), default=government["level"])
        difference = None if level is None else level - ours
        rows.append(
            {
                "government": government["government"],
                "government_name": government["government_name"],
                "level": level,
                "level_name": LEVEL_NAMES.get(level) if level else None,
                "applies_to": "area" if regional else "country",
                "own_level": own_level,
                "own_level_on_advice_scale": ours,
                "difference": difference,
                "differs": bool(difference),
                "direction": "no level" if difference is None else
                "stricter than ours" if difference > 0 else
                "less strict than ours" if difference < 0 else "same as ours",
                "text": regional[0].get("text", "") if regional else government.get("summary", ""),
                "note": "; ".join(a.get("note", "") for a in regional if a.get("note")),
                **advice_age(government.get("updated"), today, max_age_days),
            }
        )  # fmt: skip
    return rows
