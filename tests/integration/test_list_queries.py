"""The list of assessments, as a page and from the API: listing twenty assessments costs the
same number of SQL queries as listing one, for an analyst and for a reader, and each row shows
the overall level and top risk the report derives from the version the user may see (stored
with the version, made on first read for a version stored before summaries were kept)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from riskatlas.apps.accounts.models import Membership, Role
from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.writer import import_document
from riskatlas.document import load_document
from riskatlas.method.register import summarise
from tests.integration.conftest import client_for

PAGE = "/"
API = "/api/v1/assessments/"
TEAM = "Field team"


@dataclass
class Listed:
    """An assessment of the team and the version number each role should see in the list
    (None: not listed for that role)."""

    slug: str
    seen_by: dict[str, int | None]


@pytest.fixture(scope="module")
def documents(everything_yaml: Path, peru_yaml: Path) -> list[dict[str, Any]]:
    return [load_document(everything_yaml), load_document(peru_yaml)]


@pytest.fixture
def team(db: None, documents: list[dict[str, Any]]) -> Any:
    """The team, with an analyst and a reader; another team's assessment that neither sees."""
    field_team = ensure_team(TEAM)
    import_document(_as(documents[0], "other-team", 1, "published"), team=ensure_team("Other"))
    for role in (Role.ANALYST, Role.READER):
        user = get_user_model().objects.create_user(username=str(role))
        Membership.objects.create(user=user, team=field_team, role=role)
    return field_team


def _rated(doc: dict[str, Any], top: int) -> dict[str, Any]:
    """``doc`` with every risk rated low after measures, except the first at ``top`` (a
    different overall level and top risk from the original document)."""
    doc = copy.deepcopy(doc)
    for risk in doc["risks"]:
        risk["residual"] = {"likelihood": 1, "impact": 1}
    doc["risks"][0]["residual"] = {"likelihood": top, "impact": top}
    return doc


def _as(doc: dict[str, Any], slug: str, version: int, status: str) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    doc["assessment"].update(slug=slug, version=version, status=status)
    return doc


def add_assessment(team: Any, doc: dict[str, Any], i: int) -> Listed:
    """The ``i``-th assessment, one of four kinds in turn: published; published with a newer
    draft (riskier); a draft only (readers do not see it); two published versions, the newer
    riskier."""
    slug = f"list-{i:02d}"
    kind = i % 4
    if kind == 2:
        import_document(_as(_rated(doc, 1), slug, 1, "draft"), team=team)
        return Listed(slug, {Role.ANALYST: 1, Role.READER: None})
    import_document(_as(doc, slug, 1, "published"), team=team)
    if kind == 1:
        import_document(_as(_rated(doc, 5), slug, 1, "draft"), team=team)  # becomes v2
    if kind == 3:
        import_document(_as(_rated(doc, 5), slug, 2, "published"), team=team)
        return Listed(slug, {Role.ANALYST: 2, Role.READER: 2})
    return Listed(slug, {Role.ANALYST: 1, Role.READER: 1})


def add_assessments(
    team: Any, documents: list[dict[str, Any]], start: int, stop: int
) -> list[Listed]:
    # Every fifth one is the (larger) Peru example, the others the small test document.
    return [add_assessment(team, documents[i % 5 == 0], i) for i in range(start, stop)]


def queries_of(client: Client, url: str) -> int:
    """The SQL queries of one GET of ``url`` (after one unmeasured GET, so that once-per-
    process work such as the session and content types is not counted)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def counts(clients: dict[str, Client]) -> dict[tuple[str, str], int]:
    return {
        (str(role), url): queries_of(client, url)
        for role, client in clients.items()
        for url in (PAGE, API)
    }


def expected(slug: str, number: int) -> tuple[Any, str]:
    """The overall level and top risk title the report derives from the version's content."""
    version = AssessmentVersion.objects.get(assessment__slug=slug, number=number)
    summary = summarise(export_version(version))
    assert summary.level is not None and summary.top_risk is not None
    return summary.level, summary.top_risk.title


def page_rows(html: str) -> dict[str, str]:
    """The list page's table rows by assessment slug."""
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    return {row.split('<div class="muted">', 1)[1].split("</div>", 1)[0]: row for row in rows}


def api_rows(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The API list's current versions by assessment slug."""
    assert body["count"] == len(body["results"])  # one page holds them all
    return {row["slug"]: row["current_version"] for row in body["results"]}


def shown_to(role: str, listed: list[Listed]) -> dict[str, int]:
    return {item.slug: number for item in listed if (number := item.seen_by[role])}


def check_page(html: str, role: str, listed: list[Listed]) -> None:
    """Each row shows the version the role may see, with that version's level and top risk."""
    rows, shown = page_rows(html), shown_to(role, listed)
    assert sorted(rows) == sorted(shown)
    for slug, number in shown.items():
        level, top_risk = expected(slug, number)
        assert f'<td data-label="Version">v{number}' in rows[slug], slug
        assert f"{level.value} · {level.name}" in rows[slug], slug
        assert escape(top_risk) in rows[slug], slug


def check_api(body: dict[str, Any], role: str, listed: list[Listed]) -> None:
    rows, shown = api_rows(body), shown_to(role, listed)
    assert sorted(rows) == sorted(shown)
    for slug, number in shown.items():
        level, _ = expected(slug, number)
        assert rows[slug]["number"] == number
        assert rows[slug]["level"] == {
            "value": level.value,
            "name": level.name,
            "colour": level.colour,
        }


def check_rows(client: Client, role: str, listed: list[Listed]) -> None:
    check_page(client.get(PAGE).content.decode(), role, listed)
    check_api(client.get(API).json(), role, listed)


def test_twenty_assessments_cost_the_queries_of_one(
    team: Any, documents: list[dict[str, Any]]
) -> None:
    clients = {role: client_for(role) for role in (Role.ANALYST, Role.READER)}
    listed = add_assessments(team, documents, 0, 1)
    with_one = counts(clients)
    listed += add_assessments(team, documents, 1, 20)
    with_twenty = counts(clients)
    assert with_twenty == with_one
    for role, client in clients.items():
        check_rows(client, role, listed)


def test_rows_show_the_level_and_top_risk_of_the_version_each_role_sees(
    team: Any, documents: list[dict[str, Any]]
) -> None:
    listed = add_assessments(team, documents, 0, 8)  # each kind twice, Peru among them
    levels = {expected(item.slug, 1)[0].value for item in listed}
    assert len(levels) > 1  # the rows differ, so a row showing another's summary is noticed
    for role in (Role.ANALYST, Role.READER):
        check_rows(client_for(role), role, listed)


@pytest.mark.parametrize("url", [PAGE, API])
def test_a_version_stored_without_a_summary_is_summarised_on_first_read(
    team: Any, documents: list[dict[str, Any]], url: str
) -> None:
    listed = add_assessments(team, documents, 0, 4)
    # As a database from before summaries were kept: nothing stored.
    AssessmentVersion.objects.update(summary_of="", level=None, top_risk=None, counts={})
    analyst = client_for(Role.ANALYST)
    # Once-per-process work (content types, caches) without listing anything.
    assert analyst.get(API + "no-such-assessment/").status_code == 404
    with CaptureQueriesContext(connection) as first:
        response = analyst.get(url)
    made_now = len(first.captured_queries)  # read now: the next request clears the log
    if url == PAGE:
        check_page(response.content.decode(), Role.ANALYST, listed)
    else:
        check_api(response.json(), Role.ANALYST, listed)
    shown = shown_to(Role.ANALYST, listed)
    for version in AssessmentVersion.objects.filter(assessment__slug__in=shown):
        made = version.number == shown[version.assessment.slug]
        assert (version.summary_of == version.content_hash) is made, version
    assert queries_of(analyst, url) < made_now  # stored, not made again
    check_rows(client_for(Role.READER), Role.READER, listed)
