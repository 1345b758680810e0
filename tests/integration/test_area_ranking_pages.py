"""The Peru assessment page ranks its areas by the risks particular to them and its map can
colour by that specific level (issue 10, item 4): every area's level is 4 from the
country-wide road risk, so the page must tell the VRAE, Lima, Ayacucho and the Ecuador border
apart by their own risks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.document import load_document
from riskatlas.reports.area_map import country_shapes

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(peru_yaml: Path) -> Client:
    import_document(load_document(peru_yaml), team=ensure_team("Demo NGO security unit"))
    add_user("reader", "Demo NGO security unit", "reader", "a-long-test-password-1")
    client = Client()
    client.force_login(get_user_model().objects.get(username="reader"))
    return client


def _areas_table(page: str) -> list[tuple[str, str]]:
    """(area code, the row's text) of each row of the areas table, in page order."""
    section = page.split('<section id="areas"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<tr data-area="([^"]+)">(.*?)</tr>', section, flags=re.DOTALL)
    return [(code, " ".join(re.sub(r"<[^>]+>", " ", html).split())) for code, html in rows]


def test_areas_table_ranks_by_specific_level_with_the_driver(reader: Client) -> None:
    page = reader.get("/assessments/pe-2009/").content.decode()
    rows = _areas_table(page)
    codes = [code for code, _ in rows]
    assert codes[:2] == ["vraem", "PE-LMA"]
    assert codes.index("PE-AYA") < codes.index("ecuador-border") < codes.index("PE-CAL")
    text = dict(rows)
    assert "4 · high R2 Express kidnapping" in text["PE-LMA"]
    assert "R3 Violent street crime in Lima" in text["PE-LMA"]
    assert "3 · moderate R8 Ambush" in text["PE-AYA"] and "R9 Armed attack" in text["PE-AYA"]
    assert "2 · low R18 Border incident" in text["ecuador-border"]
    assert "only country-wide risks" in text["PE-CAL"]
    assert "only country-wide risks" not in text["PE-AYA"]
    # The level beside it is still there: 4 · high from the road risk, for all four.
    for code in ("PE-LMA", "PE-AYA", "ecuador-border", "PE-CAL"):
        assert "4 · high" in text[code] and "R1 Serious injury or death" in text[code]
    assert 'data-map-colour="specific"' in page and 'data-map-colour="level"' in page


def test_map_features_carry_the_specific_level(reader: Client) -> None:
    if not country_shapes("PE"):
        pytest.skip("admin-1 boundaries are not built (riskatlas maps build)")
    data = reader.get("/assessments/pe-2009/v1/map.geojson").json()
    areas = [f["properties"] for f in data["features"] if f["properties"]["kind"] == "area"]
    fills = {p["part"]: p for p in areas if not p["outline"]}
    outlines = {p["code"]: p for p in areas if p["outline"]}

    def specific(part: str) -> Any:
        return fills[part]["specific_level"]

    assert {p["level"] for p in fills.values()} == {4}  # every region: level 4
    assert specific("PE-LMA") == 4 and "R2" in fills["PE-LMA"]["specific_driver"]
    assert specific("PE-AYA") == 3 and fills["PE-AYA"]["code"] == "PE-AYA"
    # An Ecuador border region the assessment does not name takes the border's levels.
    assert fills["PE-TUM"]["code"] == "ecuador-border" and specific("PE-TUM") == 2
    # Callao and a region nobody names: only country-wide risks, drawn grey.
    assert specific("PE-CAL") is None and specific("PE-ICA") is None
    assert fills["PE-ICA"]["specific_level_name"] == "only country-wide risks"
    assert fills["PE-ICA"]["specific_colour"] != fills["PE-ICA"]["colour"]
    # The VRAE is drawn round its five regions, no-go, at the editors' level 5.
    assert outlines["vraem"]["no_go"] and outlines["vraem"]["specific_level"] == 5
    assert set(outlines) == {"vraem", "huallaga", "ecuador-border"}


def test_the_register_shows_whose_each_rating_is(reader: Client) -> None:
    page = reader.get("/assessments/pe-2009/").content.decode()
    register = page.split('<section id="register"', 1)[1].split("</section>", 1)[0]
    judgements = re.findall(r'<p class="judgement"><strong>Judgement of ([^<]+)</strong>', register)
    # One for each of the 18 risks, all the editors', none the author's.
    assert len(judgements) == 18
    assert set(judgements) == {"the riskatlas example&#x27;s editors"}


def test_the_vrae_level_is_said_to_be_the_editors(reader: Client) -> None:
    page = reader.get("/assessments/pe-2009/").content.decode()
    text = dict(_areas_table(page))
    assert "Set by the riskatlas example&#x27;s editors (the risks alone give 4" in text["vraem"]
