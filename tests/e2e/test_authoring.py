"""An assessment made from the web alone, as docs/authoring.md shows it: an analyst starts a
Colombia assessment from the list (the country, three regions ticked, the scope left blank),
adds three risks with the staff exposed on one page (ratings set on each block's matrix),
cites a source with a quote and ticks two measures in the last block, writes the summary and
saves and submits it all with one click; a reviewer approves and publishes it. Every click
and fill is counted; the screenshots are the documentation's (docs/img/authoring-*.png,
1000 px wide)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-password-1"
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
WIDTH = 1000
QUOTE = "Road travel can be dangerous, particularly at night."
MEASURES = ("MOV-VETTED-DRIVERS", "MOV-NO-NIGHT-TRAVEL")

RISKS = [
    # title, threat, exposed, inherent (L, I), residual (L, I), rationale
    (
        "Kidnap on rural roads",
        "KID",
        "national-staff",
        ("3", "4"),
        ("2", "4"),
        "Armed groups stop vehicles on secondary roads in Cauca and Nariño.",
    ),
    (
        "Street crime in Medellín",
        "CRM",
        "international-staff",
        ("4", "2"),
        ("3", "2"),
        "Robbery of foreigners is frequent in the centre after dark.",
    ),
    (
        "Road accidents",
        "TRN",
        "drivers",
        ("4", "4"),
        ("3", "3"),
        "Mountain roads, night driving and poorly kept vehicles.",
    ),
]


class Person:
    """A browser page whose clicks, fills, choices and ticks are counted."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.actions = 0

    def click(self, selector: str) -> None:
        self.actions += 1
        self.page.click(selector)
        self.page.wait_for_load_state("load")

    def fill(self, selector: str, text: str) -> None:
        self.actions += 1
        self.page.fill(selector, text)

    def choose(self, selector: str, value: str) -> None:
        self.actions += 1
        self.page.select_option(selector, value)

    def tick(self, selector: str) -> None:
        self.actions += 1
        self.page.check(selector)

    def untick(self, selector: str) -> None:
        self.actions += 1
        self.page.uncheck(selector)


def _signed_in(browser: Any, base: str, username: str, opened: list[Any]) -> Person:
    context = browser.new_context(viewport={"width": WIDTH, "height": 760})
    opened.append(context)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(base)
            else route.abort("internetdisconnected")
        ),
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return Person(page)


def _cell(block: int, likelihood: str, impact: str) -> str:
    """The cell (a button) of block ``block``'s matrix that sets a rating to ``likelihood`` ×
    ``impact``."""
    return f"#r{block}-levels .cell-pick[data-likelihood='{likelihood}'][data-impact='{impact}']"


def _shot(page: Any, name: str) -> None:
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_IMG / f"authoring-{name}.png"))


@pytest.fixture
def opened() -> Iterator[list[Any]]:
    """The browser contexts a test opens, closed when it ends (no page of it goes on asking
    the live server for anything once the test is over)."""
    contexts: list[Any] = []
    yield contexts
    for context in contexts:
        context.close()


@pytest.fixture
def people() -> None:
    add_user("analyst", "Field team", "analyst", PASSWORD)
    add_user("reviewer", "Field team", "reviewer", PASSWORD)


def test_a_colombia_assessment_from_the_web_alone(
    people: None, browser: Any, live_server: Any, opened: list[Any]
):
    base = live_server.url
    analyst = _signed_in(browser, base, "analyst", opened)
    page = analyst.page

    # 1. Started on the list of assessments, where the analyst lands: the country (the
    # new-assessment form with its areas is shown at once below it), three regions ticked.
    assert page.url == base + "/"
    analyst.choose("select[name=country]", "CO")
    for code in ("CO-ANT", "CO-CAU", "CO-NAR"):
        analyst.tick(f"input[name=areas][value={code}]")
    # The scope is left blank: the draft's is made from what was chosen (the field says so).
    # The template's context sections say what to cover and must be written before
    # publication (the guidance gate); this short assessment goes without them.
    analyst.untick("input[name=with_context]")
    page.locator("input[name=areas][value=CO-NAR]").scroll_into_view_if_needed()
    _shot(page, "1-new")
    analyst.click("button:text-is('Make the draft and add its risks')")
    assert "/edit/risks/several/" in page.url, page.inner_text("main")[:2000]
    slug = Assessment.objects.get().slug
    _shot(page, "2-draft")

    # 2. Three risks on one page, each in its own block with who is exposed (the staff groups
    # come from the template). The threat is proposed from the title; one click on the
    # block's matrix sets the inherent rating and the residual follows it until a second
    # click sets the residual. The source is cited on the last risk in its block, with a
    # quote and a grade chosen, and two measures ticked there.
    for n, (title, threat, group, inherent, residual, rationale) in enumerate(RISKS):
        analyst.fill(f"input[name=r{n}-title]", title)
        analyst.tick(f"input[name=r{n}-exposed][value={group}]")
        expect(page.locator(f"select[name=r{n}-category]")).to_have_value(threat)
        analyst.click(_cell(n, *inherent))
        expect(page.locator(f"select[name=r{n}-residual_impact]")).to_have_value(inherent[1])
        if residual != inherent:
            analyst.click(_cell(n, *residual))
        expect(page.locator(f"select[name=r{n}-residual_likelihood]")).to_have_value(residual[0])
        expect(page.locator(f"#r{n}-levels .mark", has_text="R")).to_have_count(1)
        analyst.fill(f"textarea[name=r{n}-rationale]", rationale)
        if n == 0:
            # The matrix beside the block follows the ratings (a locator: no script is
            # evaluated in the page, whose Content-Security-Policy refuses eval).
            expect(page.locator("#r0-levels")).to_contain_text("high")
            page.locator("#r0-block > legend").scroll_into_view_if_needed()
            _shot(page, "3-risk")
    # A known official advice page: its title, publisher and kind are proposed.
    analyst.fill("input[name=r2-cite-url]", "https://www.gov.uk/foreign-travel-advice/colombia")
    expect(page.locator("input[name=r2-cite-title]")).to_have_value("FCDO travel advice: Colombia")
    expect(page.locator("select[name=r2-cite-kind]")).to_have_value("official")
    # The grade in one choice: the source's reliability and the quote's credibility.
    analyst.choose("select[name=r2-cite-grade]", "B2")
    analyst.fill("textarea[name=r2-cite-quote]", QUOTE)
    page.locator("textarea[name=r2-cite-quote]").scroll_into_view_if_needed()
    _shot(page, "4-cite")
    # Two of the library's measures for the threat, offered beside the block.
    for code in MEASURES:
        analyst.tick(f"input[name=r2-add_measures][value={code}]")
    page.locator("#r2-measures").scroll_into_view_if_needed()
    _shot(page, "5-measures")

    # 3. The executive summary (a publication gate) below the blocks; one click saves the
    # three risks, the citation, the measures and the summary, and submits the draft.
    analyst.fill(
        "textarea[name=summary]",
        "Road accidents are the greatest threat to staff; kidnap on rural roads in Cauca "
        "and Nariño is the most severe.",
    )
    analyst.click("button:has-text('Save and submit for review')")
    shown = page.inner_text("main")
    titles = ", ".join(f"“{title}”" for title, *_ in RISKS)
    assert f"Saved 3 risks: {titles}." in shown, shown[:2000]
    assert "Cited “FCDO travel advice: Colombia” on “Road accidents”." in shown
    version = Assessment.objects.get().latest_version()
    assert version is not None and version.status == "in_review", shown[:2000]

    # 4. The reviewer approves and publishes it, in one step.
    reviewer = _signed_in(browser, base, "reviewer", opened)
    reviewer.page.goto(f"{base}/assessments/{slug}/v1/review/")
    reviewer.click("button:has-text('Approve and publish')")
    version.refresh_from_db()
    assert version.status == "published", reviewer.page.inner_text("main")[:2000]
    reviewer.page.goto(f"{base}/assessments/{slug}/")
    _shot(reviewer.page, "6-published")

    doc = export_version(version)
    assert [a["code"] for a in doc["areas"]] == ["CO", "CO-ANT", "CO-CAU", "CO-NAR"]
    assert doc["assessment"]["scope"] == (
        "Staff and operations in Antioquia, Cauca and Nariño (Colombia)"
    )
    assert [(r["title"], r["exposed"]) for r in doc["risks"]] == [
        (title, [group]) for title, _, group, *_ in RISKS
    ]
    road = doc["risks"][-1]
    assert road["evidence"] == [
        {
            "source": "fcdo-travel-advice-colombia",
            "credibility": 2,
            "quote": QUOTE,
        }
    ]
    assert sorted(road["measures"]) == sorted(MEASURES)
    # The issue asks for under 30 actions; this way takes 29 (28 + 1; it took 35, and 52
    # before), of which the three risks are 15 (docs/authoring.md): the count is held here so
    # that it can only go down.
    assert (analyst.actions, reviewer.actions) == (28, 1)
    assert "context" not in doc
