"""Alerts about upcoming and ongoing trips when what their decision rests on changes: a
published version changes a level on the itinerary (the decision is reopened), the assessment
behind it passes its review-by date, imported official advice raises a level there, a feed
refresh records a new orange or red hazard alert or an outbreak in one of its countries. Each runs
in a worker (``tasks.py``); each alert is one message per person per change
(``notifications.notifying.notify``)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.published import published_coverings
from riskatlas.apps.care.models import AdviceSeen
from riskatlas.apps.care.people import approvers_now, travellers_of
from riskatlas.apps.notifications.notifying import notify
from riskatlas.apps.travel import deciding, workflow
from riskatlas.apps.travel.interchange import trip_for_check
from riskatlas.apps.travel.models import Trip

log = logging.getLogger(__name__)

#: Trips whose decision is held or asked for, and may go out of date.
WATCHED = (*workflow.OPEN, Trip.Status.REOPENED)


def trip_link(trip: Trip) -> str:
    """The trip's page, where its decision and what it rests on are shown."""
    return reverse("travel:trip", args=[trip.pk])


def upcoming(team: Any = None, today: dt.date | None = None) -> list[Trip]:
    """The trips not over yet whose decision is held, asked for or reopened."""
    today = today or timezone.localdate()
    trips = Trip.objects.filter(status__in=WATCHED).select_related("team")
    if team is not None:
        trips = trips.filter(team=team)
    return [t for t in trips if t.end is not None and t.end >= today]


def area_levels(check: dict[str, Any] | None) -> dict[str, tuple[str, Any]]:
    """{area code: (name, level)} of every area a check rates on the itinerary."""
    return {
        a["code"]: (a.get("name") or a["code"], a.get("level"))
        for s in (check or {}).get("segments", [])
        for a in s.get("areas", [])
    }


def level_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """'Huancavelica (PE-HUV): level 4 → 5' for each area whose level differs."""
    before, after = area_levels(old), area_levels(new)
    return [
        f"{name} ({code}): level {before[code][1] or 'none'} → {level or 'none'}"
        for code, (name, level) in after.items()
        if code in before and before[code][1] != level
    ]


def _everyone(trip: Trip) -> list[Any]:
    """The trip's travellers and those who hold its approver roles now (and are members)."""
    return travellers_of(trip) + approvers_now(trip)


def after_publication(version_id: int, today: dt.date | None = None) -> list[Trip]:
    """A version was published: check again each upcoming trip of its team in its country;
    a trip whose levels changed is reopened and its travellers and approvers are told, once
    each (a trip reopened for another reason, such as the stale-assessment rule no longer
    firing, is told as such). Returns the trips reopened because a level changed."""
    version = AssessmentVersion.objects.select_related("assessment__team").get(pk=version_id)
    assessment = version.assessment
    told = []
    for trip in upcoming(assessment.team, today):
        if assessment.country not in deciding.trip_countries(trip_for_check(trip)):
            continue
        held = trip.check_result
        fresh = deciding.check(trip, today).as_dict()
        changes = level_changes(held, fresh)
        reopened = workflow.reopen_if_changed(trip, today)
        label = f"{assessment.slug} v{version.number}"
        if reopened and not changes:  # no level changed, but what the decision rests on did
            trip.refresh_from_db()
            notify(
                _everyone(trip), "decision-reopened",
                f"trip:{trip.pk}:reopened:{fresh['fingerprint']}",
                f"The decision on {trip.title} is reopened",
                f"{label} was published: {trip.reopened_because}. The trip must be requested "
                "again.",
                trip_link(trip), team=trip.team,
            )  # fmt: skip
            continue
        if not changes or not (reopened or trip.status == Trip.Status.REOPENED):
            continue
        trip.refresh_from_db()
        notify(
            _everyone(trip), "level-changed", f"trip:{trip.pk}:levels:{fresh['fingerprint']}",
            f"Levels changed on {trip.title}: the decision is reopened",
            f"{label} was published and changes the levels on the itinerary:\n"
            + "\n".join(f"- {c}" for c in changes)
            + f"\n\nThe trip's decision is reopened ({trip.get_status_display().lower()}) "
            "and must be requested again.",
            trip_link(trip), team=trip.team,
        )  # fmt: skip
        told.append(trip)
    return told


def overdue_assessments(today: dt.date | None = None) -> int:
    """Tell each upcoming trip's travellers and approvers when an assessment its decision
    rests on has passed its review-by date since the decision (once per trip and assessment).
    An assessment already out of date when the trip was decided is not told again: the
    decision said so, and the policy's stale-assessment rule had someone confirm it."""
    today = today or timezone.localdate()
    sent = 0
    for trip in upcoming(today=today):
        seen: dict[str, str] = {}
        for segment in (trip.check_result or {}).get("segments", []):
            for area in segment.get("areas", []):
                review_by, label = area.get("review_by"), area.get("assessment")
                if area.get("stale"):  # out of date when decided: the decision knew
                    continue
                if label and review_by and dt.date.fromisoformat(review_by) < today:
                    seen.setdefault(label, review_by)
        for label, review_by in sorted(seen.items()):
            sent += len(
                notify(
                    _everyone(trip),
                    "assessment-overdue",
                    f"trip:{trip.pk}:overdue:{label}:{review_by}",
                    f"{label} is overdue: {trip.title}",
                    f"The assessment behind this trip's decision, {label}, was due for review "
                    f"on {review_by}. Ask its analysts whether it still holds before travel.",
                    trip_link(trip),
                    team=trip.team,
                )
            )
    return sent


def _advice_on(trip: Trip, db_path: Path | None) -> dict[tuple[str, str, str], tuple[str, int]]:
    """{(ISO code, government, what the advice names): (the area's name, level)} of the
    official advice held for the trip's areas and countries (national advice, and advice on a
    named part of the country, such as a border strip, under the country's code)."""
    from riskatlas.evidence.areas import area_name

    codes = set(deciding.trip_countries(trip_for_check(trip)))
    names: dict[str, str] = {}
    for segment in (trip.check_result or {}).get("segments", []):
        for area in segment.get("areas", []):
            codes.add(area["code"])
            names[area["code"]] = area.get("name") or area["code"]
    held = deciding.official_advice(db_path)
    out: dict[tuple[str, str, str], tuple[str, int]] = {}
    for code in sorted(codes):
        for advice in held.get(code, []):
            if advice.get("level") and advice.get("government"):
                key = (code, str(advice["government"]), str(advice.get("name") or code))
                name = names.get(code) or area_name(code)
                out[key] = (name, max(advice["level"], out.get(key, ("", 0))[1]))
    return out


def _advice_raised_words(
    government: str, code: str, name: str, named: str, level: int, was: int, new: bool = False
) -> str:
    """The message, in the words people know: "United States (State Department) now rates
    Peru (PE) at level 3 (reconsider travel / avoid non-essential travel); it was level 2
    (increased caution)." Advice on a named part of the country (a border strip) says so."""
    from riskatlas.evidence.advice import government_name
    from riskatlas.evidence.advice import level_in_words as words

    where = f"{name} ({code})" if named in (name, code) else f"{named}, in {name} ({code}),"
    before = (
        f"it had no advice of its own, the country's was {words(was)}"
        if new
        else f"it was {words(was)}"
    )
    return (
        f"{government_name(government)} now rates {where} at {words(level)}; {before}. "
        "Check whether the trip's decision still holds."
    )


def raised_advice(
    trips: Iterable[Trip] | None = None, today: dt.date | None = None,
    db_path: Path | None = None,
) -> int:  # fmt: skip
    """Tell travellers and approvers when imported official advice rates an area (or the
    country) of their itinerary higher than when it was last looked at (the first look only
    notes it); advice on an area or place that had none of its own then (a regional advisory
    added) is told when above the government's country-wide level then. Once per area,
    government and level."""
    from riskatlas.evidence.store import events_db_path

    db_path = db_path or events_db_path()
    sent = 0
    for trip in upcoming(today=today) if trips is None else trips:
        noted = {
            (s.code, s.government, s.named): s.level for s in AdviceSeen.objects.filter(trip=trip)
        }
        for (code, government, named), (name, level) in _advice_on(trip, db_path).items():
            seen, first = AdviceSeen.objects.get_or_create(
                trip=trip, code=code, government=government, named=named[:200],
                defaults={"level": level},
            )  # fmt: skip
            if first:
                was = _country_wide(noted, code, government)
                if was is None or level <= was:
                    continue  # the first look at the trip, or no higher than the country's
            elif seen.level == level:
                continue
            else:
                was, seen.level, seen.seen_at = seen.level, level, timezone.now()
                seen.save(update_fields=["level", "seen_at"])
                if level < was:
                    continue
            made = notify(
                _everyone(trip), "advice-raised",
                f"trip:{trip.pk}:advice:{code}:{government}:{named}:{level}",
                f"Official advice raised for {name}: {trip.title}",
                _advice_raised_words(government, code, name, named, level, was, first),
                trip_link(trip), team=trip.team,
            )  # fmt: skip
            sent += len(made)
    return sent


def _country_wide(noted: dict[tuple[str, str, str], int], code: str, government: str) -> int | None:
    """The government's level for the country of ``code`` when the trip was last looked at
    (None if it had none then, or the trip was never looked at)."""
    from riskatlas.evidence.areas import area_name
    from riskatlas.geography import country_code_of

    country = country_code_of(code) or code
    return noted.get((country, government, area_name(country)))


def events_on_trips(today: dt.date | None = None, db_path: Path | None = None) -> int:
    """Tell travellers and approvers when the events imported for an area on their itinerary
    over the last ``TRIP_EVENTS_DAYS`` reach ``TRIP_EVENTS_THRESHOLD`` (at most once a week
    per area and trip)."""
    from riskatlas.evidence.recent import recent_events
    from riskatlas.evidence.store import StoreBusy, events_db_path

    today = today or timezone.localdate()
    db_path = db_path or events_db_path()
    if not Path(db_path).is_file():
        return 0
    since = today - dt.timedelta(days=settings.TRIP_EVENTS_DAYS - 1)
    sent = 0
    for trip in upcoming(today=today):
        names = {
            a["code"]: a.get("name") or a["code"]
            for s in (trip.check_result or {}).get("segments", [])
            for a in s.get("areas", [])
        }
        try:
            found = recent_events(db_path, names, since, today)
        except StoreBusy:
            return sent  # an import holds the store: the next run looks again
        year, week, _ = today.isocalendar()
        for code, seen in sorted(found.items()):
            if seen.events < settings.TRIP_EVENTS_THRESHOLD:
                continue
            made = notify(
                _everyone(trip), "events-near-trip", f"trip:{trip.pk}:events:{code}:{year}-W{week}",
                f"{seen.events} events in {names[code]}: {trip.title}",
                f"{seen.source.upper()} records {seen.events} events in {names[code]} ({code}) "
                f"from {since} to {today} ({', '.join(seen.categories)}; {seen.deaths} deaths), "
                f"at or over the alert threshold of {settings.TRIP_EVENTS_THRESHOLD}. Check "
                "whether the trip's decision still holds.",
                trip_link(trip), team=trip.team,
            )  # fmt: skip
            sent += len(made)
    return sent


def hazards_on_trips(today: dt.date | None = None, db_path: Path | None = None) -> int:
    """Tell travellers and approvers of each upcoming trip when a feed refresh recorded a
    new orange or red hazard alert (GDACS, USGS) or a new disease outbreak (WHO) in a country
    of its itinerary, or a hazard affecting one: once per trip and change, saying where it is
    against the itinerary (``feeds.concerns.on_trip``). It reads the changes recorded over the
    last ``TRIP_EVENTS_DAYS`` (``evidence.changes.list_changes``); raised advice levels are
    told by ``raised_advice``."""
    from riskatlas.apps.feeds.concerns import changes_on_trip
    from riskatlas.evidence.areas import country_iso3
    from riskatlas.evidence.store import StoreBusy

    today = today or timezone.localdate()
    since = dt.datetime.combine(today - dt.timedelta(days=settings.TRIP_EVENTS_DAYS), dt.time())
    sent = 0
    for trip in upcoming(today=today):
        countries = {
            iso3 for code in deciding.trip_countries(trip_for_check(trip))
            if (iso3 := country_iso3(code))
        }  # fmt: skip
        try:
            changes = changes_on_trip(
                trip.check_result, countries, since, ["hazard-alert", "outbreak"], db_path
            )
        except StoreBusy:
            return sent  # an import holds the store: the next run looks again
        for change in changes:
            article = "an" if change["after"] == "orange" else "a"
            what = (
                f"{article} {change['after']} alert"
                if change["kind"] == "hazard-alert"
                else "an outbreak"
            )
            made = notify(
                _everyone(trip), f"feed-{change['kind']}",
                f"trip:{trip.pk}:change:{change['id']}",
                f"{change['title']}: {trip.title}",
                f"{change['source_name']} reports {what} in {change['place']} "
                f"({change['observed'] or 'undated'}): {change['title']}. This is "
                f"{change['on_trip']}. {change['url'] or ''}\n"
                "Check whether the trip's decision still holds.",
                trip_link(trip) + "#feed-changes", team=trip.team,
            )  # fmt: skip
            sent += len(made)
    return sent


def _span(value: str) -> tuple[dt.date, dt.date]:
    """The days a watch item's date ("2011", "2011-04", "2011-04-10") stands for."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    day = dt.date(parts[0], parts[1], parts[2])
    return day, day


def watch_items_on_trips(today: dt.date | None = None) -> int:
    """Tell travellers and approvers when a watch item of a published assessment behind the
    trip (an election, a protest season) is dated within the trip and concerns an area or the
    country of its itinerary, with the triggers to watch for (once per trip and item). The
    triggers are the analyst's words: they are shown, not evaluated."""
    sent = 0
    for trip in upcoming(today=today):
        start, end = trip.start, trip.end
        countries = deciding.trip_countries(trip_for_check(trip))
        codes = set(countries) | {
            a["code"]
            for s in (trip.check_result or {}).get("segments", [])
            for a in s.get("areas", [])
        }
        for covering in published_coverings(countries, trip.team):
            for item in covering.doc.get("watch_items") or []:
                if not item.get("date") or not codes & set(item.get("areas") or []):
                    continue
                first, last = _span(item["date"])
                if last < start or first > end:
                    continue
                made = notify(
                    _everyone(trip), "watch-item",
                    f"trip:{trip.pk}:watch:{covering.label}:{item['id']}",
                    f"{item['title']} ({item['date']}) during {trip.title}",
                    f"{covering.label} watches \"{item['title']}\" ({item['date']}), which falls "
                    f"within the trip ({start} to {end}). Watch for:\n"
                    + "\n".join(f"- {t}" for t in item.get("triggers") or []),
                    trip_link(trip), team=trip.team,
                )  # fmt: skip
                sent += len(made)
    return sent
