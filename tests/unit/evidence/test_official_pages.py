"""Official travel-advice pages known by their address: title, publisher and kind proposed
for a source cited by such an address; any other address is not guessed at."""

import pytest

from riskatlas.evidence.official_pages import OfficialPage, official_page


@pytest.mark.parametrize(
    ("url", "title", "publisher"),
    [
        (
            "https://www.gov.uk/foreign-travel-advice/colombia",
            "FCDO travel advice: Colombia",
            "FCDO",
        ),
        (  # a page of it, written without the scheme
            "gov.uk/foreign-travel-advice/peru/safety-and-security",
            "FCDO travel advice: Peru",
            "FCDO",
        ),
        (
            "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/"
            "colombia-travel-advisory.html",
            "US State Department travel advisory: Colombia",
            "US Department of State",
        ),
        (
            "https://travel.gc.ca/destinations/colombia",
            "Government of Canada travel advice: Colombia",
            "Government of Canada",
        ),
        (
            "https://www.smartraveller.gov.au/destinations/americas/colombia",
            "Smartraveller travel advice: Colombia",
            "Smartraveller (Australian Government)",
        ),
    ],
)
def test_known_advice_pages(url: str, title: str, publisher: str):
    page = official_page(url)
    assert page is not None
    assert (page.title, page.publisher, page.kind) == (title, publisher, "official")


def test_the_country_is_read_from_the_address():
    assert official_page("https://www.gov.uk/foreign-travel-advice/south-sudan") == OfficialPage(
        "FCDO travel advice: South Sudan", "FCDO", "SS"
    )
    unknown = official_page("https://www.gov.uk/foreign-travel-advice/atlantis")
    assert unknown is not None and (unknown.title, unknown.country) == (
        "FCDO travel advice: Atlantis",
        "",
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://www.gov.uk/government/news",
        "https://example.org/foreign-travel-advice/colombia",
        "https://gov.uk.example.org/foreign-travel-advice/colombia",
        "",
    ],
)
def test_other_addresses_are_not_guessed_at(url: str):
    assert official_page(url) is None
