"""What changed: each feed import compares what it reads with what the store held, and
records every change that matters as a row of ``changes``, with before and after, the
source and when.

- ``advice-level``: a government's level for a country, or for an ISO 3166-2 area its feed
  names, went up or down (a country seen for the first time is no change: there is no
  "before"; nor are the first areas read from the publication already held).
- ``hazard-alert``: a GDACS or USGS event at orange or red, new to the store or raised
  (green → orange, orange → red), dated within ``RECENT_DAYS`` of the import.
- ``outbreak``: a WHO Disease Outbreak News item new to the store, dated within
  ``RECENT_DAYS``.

Changes are keyed by what changed (source, area, before → after, date): importing the same
response again records nothing. Which changes concern a team (a country of one of its
assessments, or a hazard whose affected countries include one) is decided by the caller with
``countries=`` — the store knows no teams. ``list_changes`` is also the input for travel
alerts (``apps/care``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from riskatlas.evidence.advice import (
    CountryAdvice,
    government_name,
    level_in_words,
    store_country_advice,
)
from riskatlas.evidence.areas import area_name, country_alpha2
from riskatlas.evidence.feeds import ADVICE_FEEDS, FeedReading, Hazard, read_feed
from riskatlas.evidence.importing import ImportResult, log_import
from riskatlas.evidence.store import connect, transaction

#: Hazards and outbreaks dated more than this many days before the import are history, not
#: news: they are stored but recorded as no change.
RECENT_DAYS = 30
ALERT_RANK = {None: 0, "green": 1, "yellow": 2, "orange": 3, "red": 4}
KINDS = ("advice-level", "hazard-alert", "outbreak")

COLUMNS = (
    "change_key",
    "kind",
    "source",
    "country_iso3",
    "area_code",
    "area_name",
    "countries",
    "before_level",
    "after_level",
    "before_text",
    "after_text",
    "direction",
    "title",
    "url",
    "observed",
    "recorded",
)


@dataclass
class FeedImportResult(ImportResult):
    """An import's figures, and how many changes it recorded."""

    changes_recorded: int = 0
    #: The title of each change recorded, in words ("Canada (Global Affairs): Peru level 2 …").
    change_titles: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "changes": self.changes_recorded}


@dataclass
class Change:
    kind: str
    source: str
    country_iso3: str | None
    area_code: str | None
    area_name: str
    countries: list[str]
    before_level: int | None
    after_level: int | None
    before_text: str
    after_text: str
    direction: str  # up / down / changed / new
    title: str
    url: str | None
    observed: date | None

    def key(self) -> str:
        return ":".join(
            str(v)
            for v in (
                self.kind,
                self.source,
                self.country_iso3,
                self.area_code,
                self.before_text,
                self.after_text,
                self.observed,
            )
        )


def import_feed(
    con: duckdb.DuckDBPyConnection, source: str, path: Path, *, now: datetime | None = None
) -> FeedImportResult:
    """Import a saved response of feed ``source`` and record what changed, all at once.

    Raises FeedShapeError (a ValueError naming the source and field) when the response is
    not in the feed's known shape; nothing is written then."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    reading = read_feed(source, path.read_bytes())
    now = now or datetime.now(UTC)
    result = FeedImportResult(source=source, path=str(path))
    result.skipped_reasons = dict(reading.skipped)
    result.rows_skipped = sum(n for reason, n in reading.skipped.items() if "(kept" not in reason)
    # Every item read, so that added, present, quarantined and skipped add up to it.
    result.rows_seen = (
        len(reading.advice) + len(reading.hazards) + len(reading.rejected) + result.rows_skipped
    )
    with transaction(con):
        if reading.advice:
            advice = _not_older(con, reading.advice, result)
            changes = _advice_changes(con, source, advice)
            result.rows_added = _store_advice(con, advice)
        else:
            changes, result.rows_added = _write_hazards(con, reading, now.date())
        result.change_titles = _record(con, changes, now)
        result.changes_recorded = len(result.change_titles)
        for key, reason, raw in reading.rejected:
            con.execute(
                "INSERT OR IGNORE INTO quarantine VALUES (?, ?, NULL, ?, ?, ?)",
                [source, key, reason, raw, str(path)],
            )
            result.rejected_reasons[reason] = result.rejected_reasons.get(reason, 0) + 1
        result.rows_rejected = len(reading.rejected)
        result.rows_present = (
            result.rows_seen - result.rows_added - result.rows_rejected - result.rows_skipped
        )
        log_import(con, result)
    return result


def _record(con: duckdb.DuckDBPyConnection, changes: list[Change], now: datetime) -> list[str]:
    """Write the changes not yet recorded (keyed by what changed); their titles."""
    titles: list[str] = []
    for change in changes:
        if con.execute(
            "SELECT count(*) FROM changes WHERE change_key = ?", [change.key()]
        ).fetchone()[0]:  # type: ignore[index]
            continue
        con.execute(
            f"INSERT OR IGNORE INTO changes ({', '.join(COLUMNS)})"
            f" VALUES ({', '.join('?' * len(COLUMNS))})",
            [
                change.key(),
                change.kind,
                change.source,
                change.country_iso3,
                change.area_code,
                change.area_name,
                change.countries,
                change.before_level,
                change.after_level,
                change.before_text,
                change.after_text,
                change.direction,
                change.title,
                change.url,
                change.observed,
                now.replace(tzinfo=None),
            ],
        )
        titles.append(change.title)
    return titles


OLDER = "older than the advice held (kept that)"


def _not_older(
    con: duckdb.DuckDBPyConnection, advice: list[CountryAdvice], result: FeedImportResult
) -> list[CountryAdvice]:
    """The items not dated before the advice held for their government and country: an older
    publication (Canada's index still giving 26 November when the country file of 30 November
    is held) is no change and does not replace the newer; it is counted as skipped."""
    kept = []
    for item in advice:
        held = con.execute(
            "SELECT updated FROM advisories WHERE government = ? AND country_iso3 = ?",
            [item.government, item.iso3],
        ).fetchone()
        held_on, item_on = _date(held[0] if held else None), _date(item.updated)
        if held_on and item_on and item_on < held_on:
            result.skipped_reasons[OLDER] = result.skipped_reasons.get(OLDER, 0) + 1
            continue
        kept.append(item)
    return kept


def _store_advice(con: duckdb.DuckDBPyConnection, advice: list[CountryAdvice]) -> int:
    """Each country's advice as the feed gives it now (a level gone stays gone: a German
    warning for parts of a country has no whole-country level). The areas are replaced when
    the feed names some, else those read from the pages are kept. Returns countries new."""
    added = 0
    for item in advice:
        added += not con.execute(
            "SELECT count(*) FROM advisories WHERE government = ? AND country_iso3 = ?",
            [item.government, item.iso3],
        ).fetchone()[0]  # type: ignore[index]
        store_country_advice(con, item, replace_areas=bool(item.areas))
    return added


def _level_words(level: int | None, text: str | None) -> str:
    if level is None:
        return text or "no whole-country level"
    return level_in_words(level)


def _direction(before: int | None, after: int | None) -> str:
    if before is None or after is None:
        return "changed"
    return "up" if after > before else "down"


def _advice_changes(
    con: duckdb.DuckDBPyConnection, source: str, advice: list[CountryAdvice]
) -> list[Change]:
    changes: list[Change] = []
    for item in advice:
        held = con.execute(
            "SELECT level, level_text, updated FROM advisories"
            " WHERE government = ? AND country_iso3 = ?",
            [item.government, item.iso3],
        ).fetchone()
        if held is None:
            continue  # first sight of this country: nothing to compare with
        held, held_updated = held[:2], held[2]
        alpha2 = country_alpha2(item.iso3) or item.iso3
        before_words, after_words = _level_words(*held), _level_words(item.level, item.level_text)
        if held[0] != item.level or (item.level is None and before_words != after_words):
            changes.append(
                Change(
                    "advice-level",
                    source,
                    item.iso3,
                    alpha2,
                    area_name(alpha2),
                    [item.iso3],
                    held[0],
                    item.level,
                    before_words,
                    after_words,
                    _direction(held[0], item.level),
                    f"{government_name(item.government)}: {area_name(alpha2)}"
                    f" {before_words} → {after_words}",
                    item.url,
                    _date(item.updated),
                )
            )
        if not item.areas or _areas_first_seen(con, item, held_updated):
            continue
        old = dict(
            con.execute(
                "SELECT area_code, max(level) FROM advisory_areas WHERE government = ?"
                " AND country_iso3 = ? AND area_code IS NOT NULL AND NOT coalesce(place, false)"
                " GROUP BY 1",
                [item.government, item.iso3],
            ).fetchall()
        )
        new: dict[str, int] = {}
        for area in item.areas:
            if area.area_code and not area.place:
                new[area.area_code] = max(area.level, new.get(area.area_code, 0))
        for code in sorted(set(old) | set(new)):
            before = old.get(code, held[0])
            after = new.get(code, item.level)
            if before == after:
                continue
            name = area_name(code)
            before_words = _level_words(before, None) + ("" if code in old else " (the country's)")
            after_words = _level_words(after, None) + ("" if code in new else " (the country's)")
            changes.append(
                Change(
                    "advice-level",
                    source,
                    item.iso3,
                    code,
                    name,
                    [item.iso3],
                    before,
                    after,
                    before_words,
                    after_words,
                    _direction(before, after),
                    f"{government_name(item.government)}: {name} {before_words} → {after_words}",
                    item.url,
                    _date(item.updated),
                )
            )
    return changes


def _areas_first_seen(
    con: duckdb.DuckDBPyConnection, item: CountryAdvice, held_updated: str | None
) -> bool:
    """Whether ``item``'s areas are the first read for its government and country, from the
    publication already held (Canada's index, then its country file of the same date): they
    were there all along, only not seen, so they are no change. Areas first read from a later
    (or undated) publication are compared with the country's level held."""
    if con.execute(
        "SELECT count(*) FROM advisory_areas WHERE government = ? AND country_iso3 = ?",
        [item.government, item.iso3],
    ).fetchone()[0]:  # type: ignore[index]
        return False
    held_on, item_on = _date(held_updated), _date(item.updated)
    return held_on is not None and held_on == item_on


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _write_hazards(
    con: duckdb.DuckDBPyConnection, reading: FeedReading, today: date
) -> tuple[list[Change], int]:
    changes: list[Change] = []
    added = 0
    recent = today - timedelta(days=RECENT_DAYS)
    for hazard in reading.hazards:
        held = con.execute(
            "SELECT alert FROM hazards WHERE source = ? AND hazard_key = ?",
            [hazard.source, hazard.key],
        ).fetchone()
        added += held is None
        before = held[0] if held else None
        con.execute(
            "INSERT OR REPLACE INTO hazards (source, hazard_key, kind, alert, event_date, title,"
            " country_iso3, area_code, countries, latitude, longitude, magnitude, url, updated)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                hazard.source,
                hazard.key,
                hazard.kind,
                hazard.alert,
                hazard.event_date,
                hazard.title,
                hazard.country_iso3,
                hazard.area_code,
                hazard.countries,
                hazard.latitude,
                hazard.longitude,
                hazard.magnitude,
                hazard.url,
                hazard.updated,
            ],
        )
        if hazard.event_date < recent:
            continue
        change = _hazard_change(hazard, held is not None, before)
        if change:
            changes.append(change)
    return changes, added


def _hazard_change(hazard: Hazard, held: bool, before: str | None) -> Change | None:
    where = hazard.area_code or hazard.country_iso3
    name = area_name(where) if where else "no country (at sea?)"
    if hazard.kind == "outbreak":
        if held:
            return None
        return Change(
            "outbreak",
            hazard.source,
            hazard.country_iso3,
            hazard.area_code,
            name,
            hazard.countries,
            None,
            None,
            "",
            "reported",
            "new",
            hazard.title,
            hazard.url,
            hazard.event_date,
        )
    if ALERT_RANK[hazard.alert] < ALERT_RANK["orange"]:
        return None
    if held and ALERT_RANK[hazard.alert] <= ALERT_RANK[before]:
        return None
    return Change(
        "hazard-alert",
        hazard.source,
        hazard.country_iso3,
        hazard.area_code,
        name,
        hazard.countries,
        ALERT_RANK[before] if held else None,
        ALERT_RANK[hazard.alert],
        before or "",
        hazard.alert or "",
        "up" if held else "new",
        f"{hazard.kind}: {hazard.title}",
        hazard.url,
        hazard.event_date,
    )


def list_changes(
    db_path: str | Path | None,
    *,
    countries: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """(how many, the changes newest first), as plain dicts: ``kind``, ``source``,
    ``country`` (alpha-3), ``area_code``, ``area_name``, ``countries``, ``before``/``after``
    (words) and ``before_level``/``after_level`` (1–4 advice scale; 1–4 green…red for
    hazards), ``direction``, ``title``, ``url``, ``observed`` (the publisher's date) and
    ``recorded`` (when riskatlas saw the change).

    ``countries`` (alpha-3) keeps the changes about those countries, a hazard also when one
    of its affected countries is among them; ``kinds`` keeps those kinds; ``since`` keeps
    the changes recorded since then. An alert can call it with a trip's countries and the
    time it last looked. No store yet: no changes."""
    path = Path(db_path) if db_path is not None else None
    if path is not None and not path.exists():
        return 0, []
    con = connect(path, read_only=True)
    try:
        if not con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'changes'"
        ).fetchone()[0]:  # type: ignore[index]
            return 0, []  # a store from before changes were recorded
        where: list[str] = ["true"]
        params: list[object] = []
        if countries is not None:
            wanted = sorted({c.upper() for c in countries})
            where.append(
                "(country_iso3 IN (SELECT unnest(?)) OR len(list_intersect(countries, ?)) > 0)"
            )
            params += [wanted, wanted]
        if kinds is not None:
            where.append("kind IN (SELECT unnest(?))")
            params.append(list(kinds))
        if since is not None:
            where.append("recorded >= ?")
            params.append(since.astimezone(UTC).replace(tzinfo=None) if since.tzinfo else since)
        clause = " AND ".join(where)
        total = con.execute(f"SELECT count(*) FROM changes WHERE {clause}", params).fetchone()
        rows = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM changes WHERE {clause}"
            " ORDER BY recorded DESC, observed DESC NULLS LAST, change_key LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
    finally:
        con.close()
    return int(total[0]) if total else 0, [_as_dict(row) for row in rows]


def _as_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    value = dict(zip(COLUMNS, row, strict=True))
    recorded = value["recorded"]
    return {
        "id": value["change_key"],
        "kind": value["kind"],
        "source": value["source"],
        "country": value["country_iso3"],
        "area_code": value["area_code"],
        "area_name": value["area_name"],
        "countries": list(value["countries"] or []),
        "before": value["before_text"],
        "after": value["after_text"],
        "before_level": value["before_level"],
        "after_level": value["after_level"],
        "direction": value["direction"],
        "title": value["title"],
        "url": value["url"],
        "observed": value["observed"].isoformat() if value["observed"] else None,
        "recorded": recorded.replace(tzinfo=UTC).isoformat() if recorded else None,
    }


__all__ = ["ADVICE_FEEDS", "KINDS", "import_feed", "list_changes"]
