"""A feed refresh that records an orange earthquake alert and a yellow-fever outbreak in Peru
tells the traveller and the approver of the approved Peru trip, once each; a cyclone in the
Philippines tells nobody."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riskatlas.apps.care import alerts
from riskatlas.apps.notifications.models import Notification
from riskatlas.evidence.changes import import_feed
from riskatlas.evidence.store import connect
from tests.integration.care.peru_trip import approve, set_up_team

pytestmark = pytest.mark.django_db

FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "evidence" / "recorded" / "feeds"
TODAY = dt.date(2026, 12, 1)  # the trip (March 2027) is upcoming


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    connect(db).close()
    return db


def _refresh(db: Path, source: str, name: str, when: dt.datetime) -> None:
    con = connect(db)
    try:
        import_feed(con, source, FEEDS / name, now=when)
    finally:
        con.close()


def test_new_hazard_alert_and_outbreak_told_once_to_the_trips_people(store: Path) -> None:
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"], today=TODAY)
    Notification.objects.all().delete()
    # Recorded before the last TRIP_EVENTS_DAYS (7): an orange earthquake in Peru, not told.
    _refresh(store, "usgs", "usgs-4.5_week.geojson", dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    assert alerts.hazards_on_trips(TODAY) == 0

    # GDACS: the same orange earthquake in Peru and a red cyclone in the Philippines.
    _refresh(store, "gdacs", "gdacs-events.geojson", dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    assert alerts.hazards_on_trips(TODAY) == 2  # Rosa and Marta, about Peru only
    assert alerts.hazards_on_trips(TODAY) == 0  # once
    # The flood in Cusco raised to orange, and yellow fever reported in Peru.
    _refresh(store, "gdacs", "gdacs-events-newer.geojson", dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    _refresh(store, "who-don", "who-don.json", dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    assert alerts.hazards_on_trips(TODAY) == 4
    told = sorted((n.user.username, n.kind, n.subject) for n in Notification.objects.all())
    trip = team["trip"].title
    assert told == [
        ("marta", "feed-hazard-alert", f"earthquake: Earthquake in Peru: {trip}"),
        ("marta", "feed-hazard-alert", f"flood: Flood in Peru: {trip}"),
        ("marta", "feed-outbreak", f"Yellow fever - Peru: {trip}"),
        ("rosa", "feed-hazard-alert", f"earthquake: Earthquake in Peru: {trip}"),
        ("rosa", "feed-hazard-alert", f"flood: Flood in Peru: {trip}"),
        ("rosa", "feed-outbreak", f"Yellow fever - Peru: {trip}"),
    ]
    flood = Notification.objects.filter(user__username="rosa", subject__startswith="flood").get()
    assert flood.body.startswith(
        "GDACS (disaster alerts) reports an orange alert in Cusco (PE-CUS), Peru"
    )


def test_a_hazard_alert_says_where_it_is_against_the_itinerary(store: Path) -> None:
    """The approver reading the alert learns whether the hazard is on the itinerary, elsewhere
    in Peru or across the border (with the country named), and from whom, in words."""
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"], today=TODAY)
    Notification.objects.all().delete()
    when = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    _refresh(store, "usgs", "usgs-4.5_week.geojson", when)
    _refresh(store, "gdacs", "gdacs-events.geojson", when)
    _refresh(store, "who-don", "who-don.json", when)
    alerts.hazards_on_trips(TODAY)
    body = {
        n.subject.removesuffix(f": {team['trip'].title}").split(": ")[-1]: n.body
        for n in Notification.objects.filter(user__username="marta")
    }
    ecuador = body["M 5.9 - 5 km N of Huaquillas, Ecuador"]
    assert "in El Oro (EC-O), Ecuador" in ecuador
    assert "outside the trip's countries, near or affecting Peru" in ecuador
    ica = body["Earthquake in Peru"]
    assert "in Ica (PE-ICA), Peru" in ica and "on the itinerary (segment 2)" in ica
    arequipa = body["M 6.9 - 38 km SW of Acarí, Peru"]
    assert "in Peru, a country of the trip, off the itinerary" in arequipa
    fever = body["Yellow fever - Peru"]
    assert fever.startswith("WHO Disease Outbreak News reports an outbreak in Peru")
    assert "WHO-DON" not in fever
    # Yellow fever in Peru names no area: not "off the itinerary", which it may well not be.
    assert "This is in Peru, a country of the trip (no area named)." in fever
    # The message leads to the trip page's list of these changes.
    links = set(Notification.objects.values_list("link", flat=True))
    assert links == {f"/trips/{team['trip'].pk}/#feed-changes"}


def test_raised_advice_is_told_in_the_words_people_know(store: Path) -> None:
    """The US feed raises Peru from 2 to 3 after the approval: the message names the
    government and the country as people know them, and the levels with their words."""
    _refresh(store, "us-advice", "us-advisories.xml", dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"], today=TODAY)
    assert alerts.raised_advice(today=TODAY, db_path=store) == 0  # the first look notes it
    _refresh(
        store, "us-advice", "us-advisories-newer.xml", dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    )
    assert alerts.raised_advice(today=TODAY, db_path=store) == 2
    told = Notification.objects.get(user__username="marta", kind="advice-raised")
    assert told.subject == f"Official advice raised for Peru: {team['trip'].title}"
    assert told.body.startswith(
        "United States (State Department) now rates Peru (PE) at level 3 (reconsider travel /"
        " avoid non-essential travel); it was level 2 (increased caution)."
    )
    assert "unitedstates" not in told.body


def test_the_trip_page_shows_what_changed_about_its_countries(store: Path) -> None:
    """The alert's link leads to the trip's page: it lists the changes recorded lately about
    the trip's countries, each placed against the itinerary, and links to What changed."""
    from django.test import Client

    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"], today=TODAY)
    now = dt.datetime.now(dt.UTC)
    _refresh(store, "usgs", "usgs-4.5_week.geojson", now)
    _refresh(store, "gdacs", "gdacs-events.geojson", now)
    client = Client()
    client.force_login(team["marta"])
    page = client.get(f"/trips/{team['trip'].pk}/").content.decode()
    section = page[page.index('id="feed-changes"') :]
    section = section[: section.index("</section>")]
    assert "Earthquake in Peru" in section and "on the itinerary (segment 2)" in section
    assert "El Oro (EC-O), Ecuador" in section
    assert "outside the trip&#x27;s countries, near or affecting Peru" in section
    assert "since the decision" in section
    assert "Tropical Cyclone" not in section  # the Philippines: not this trip's
    assert 'href="/changes/"' in section


def test_the_notifications_page_says_what_each_message_is_in_words(store: Path) -> None:
    """The "What" column reads "Hazard alert on a trip", not the message's kind as stored."""
    from django.test import Client

    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"], today=TODAY)
    _refresh(store, "gdacs", "gdacs-events.geojson", dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    _refresh(store, "who-don", "who-don.json", dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    assert alerts.hazards_on_trips(TODAY) > 0
    client = Client()
    client.force_login(team["marta"])
    page = client.get("/notifications/").content.decode()
    assert '<td data-label="What">Hazard alert on a trip</td>' in page
    assert '<td data-label="What">Outbreak on a trip</td>' in page
    assert ">feed-hazard-alert<" not in page and ">feed-outbreak<" not in page


def test_what_changed_names_the_country_of_an_area_abroad(store: Path) -> None:
    """Among the changes about Peru, an earthquake in El Oro says it is in Ecuador."""
    from django.test import Client

    team = set_up_team()
    _refresh(store, "usgs", "usgs-4.5_week.geojson", dt.datetime.now(dt.UTC))
    client = Client()
    client.force_login(team["marta"])
    page = client.get("/changes/").content.decode()
    assert '<td data-label="Where">El Oro <span class="muted">(EC-O)</span>, Ecuador</td>' in page
    assert '<td data-label="Where">Arequipa <span class="muted">(PE-ARE)</span>, Peru</td>' in page
    assert "assessments (Peru), hazards near or affecting them included." in page


def test_new_advice_on_an_area_of_the_itinerary_is_told(store: Path) -> None:
    """After the approval the US adds Apurímac, the trip's destination, to "do not travel": the
    area had no advice of its own at the approval (only Peru's level 2), so there was no row to
    compare with; it is told all the same, against the country's level then. Once."""
    _refresh(store, "us-advice", "us-advisories.xml", dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"], today=TODAY)
    assert alerts.raised_advice(today=TODAY, db_path=store) == 0  # the first look notes it
    newer = (
        (FEEDS / "us-advisories-newer.xml")
        .read_text("utf-8")
        .replace(
            "<li>Puno due to civil unrest.</li>",
            "<li>Puno due to civil unrest.</li><li>Apurímac due to crime and terrorism.</li>",
        )
    )
    path = store.parent / "us-advisories-newest.xml"
    path.write_text(newer, "utf-8")
    con = connect(store)
    try:
        import_feed(con, "us-advice", path, now=dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    finally:
        con.close()
    assert alerts.raised_advice(today=TODAY, db_path=store) == 4  # Peru 2 → 3, Apurímac → 4
    assert alerts.raised_advice(today=TODAY, db_path=store) == 0
    told = Notification.objects.get(
        user__username="marta", kind="advice-raised", subject__contains="Apurímac"
    )
    assert told.body.startswith(
        "United States (State Department) now rates Apurímac (PE-APU) at level 4 (do not"
        " travel); it had no advice of its own, the country's was level 2 (increased caution)."
    )


def test_the_trip_page_lists_the_changes_on_its_itinerary_first(store: Path) -> None:
    """The earthquake in Ica (on the itinerary) before the newer ones off it (Arequipa,
    Ecuador): what the approver must look at first."""
    from django.test import Client

    team = set_up_team()
    _refresh(store, "gdacs", "gdacs-events.geojson", dt.datetime.now(dt.UTC))
    _refresh(store, "usgs", "usgs-4.5_week.geojson", dt.datetime.now(dt.UTC))
    client = Client()
    client.force_login(team["marta"])
    page = client.get(f"/trips/{team['trip'].pk}/").content.decode()
    section = page[page.index('id="feed-changes"') :]
    assert section.index("Earthquake in Peru") < section.index("38 km SW of Acarí")
    assert '<th scope="col">Change</th>' in section
