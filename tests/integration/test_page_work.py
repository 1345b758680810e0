"""Less work per request (issue 13, many users at once): the assessment page's sections —
summary to sources, the same for every reader of a version — are rendered once and kept
while the version reads the same, and the list's country picker is rendered once. What
differs by reader stays theirs: an analyst and a reader of the same version each see what
they should whoever came first, and an edit or a workflow step shows at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.assessments import page_sections, workflow
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.travel.models import ApproverRole
from tests.acled_extract import LIMA, event, full_year, write_extract
from tests.integration.conftest import (
    PASSWORD,
    client_for,
    import_published_and_draft,
    retitle_first_risk,
)

pytestmark = pytest.mark.django_db

SECTIONS = "assessments/_sections.html"
HINT = "riskatlas data import acled FILE.csv"  # the evidence note's import hint, for editors
DRAFT_TITLE = "Street crime in Lima (draft edit)"


@pytest.fixture(autouse=True)
def nothing_kept() -> None:
    page_sections.forget()


@pytest.fixture
def team(everything_yaml: Path, home_without_store: Path) -> None:
    """Field team: version 1 published, version 2 a draft; an analyst and a reader."""
    import_published_and_draft(everything_yaml, DRAFT_TITLE)
    add_user("analyst", "Field team", "analyst", PASSWORD)
    add_user("reader", "Field team", "reader", PASSWORD)


def _slug() -> str:
    return AssessmentVersion.objects.get(number=2).assessment.slug


def _rendered(client: Client, url: str) -> tuple[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [t.name for t in response.templates]


def test_the_sections_are_rendered_once_for_every_reader(team: None):
    url = f"/assessments/{_slug()}/"  # version 1, published: no one may edit it
    first, templates = _rendered(client_for("analyst"), url)
    assert SECTIONS in templates
    for name in ("reader", "analyst"):
        again, templates = _rendered(client_for(name), url)
        assert SECTIONS not in templates  # kept
        assert again.count('<section id="register"') == 1
    assert 'id="register"' in first and HINT not in first


def test_an_analyst_and_a_reader_each_see_their_own(team: None):
    slug = _slug()
    url = f"/assessments/{slug}/"
    draft_link = f'href="/assessments/{slug}/v2/"'
    for order in (("reader", "analyst"), ("analyst", "reader")):
        page_sections.forget()
        pages = {name: _rendered(client_for(name), url)[0] for name in order}
        assert draft_link in pages["analyst"]  # analysts see the newer draft
        assert draft_link not in pages["reader"]
        for page in pages.values():
            assert "Read a report" not in page and ">Edit<" not in page  # published: locked
    draft = f"/assessments/{slug}/v2/"
    assert client_for("reader").get(draft).status_code == 404
    analyst = client_for("analyst")
    for _ in range(2):  # rendered, then kept
        page = analyst.get(draft).content.decode()
        assert HINT in page and "Read a report" in page and ">Edit<" in page
        assert DRAFT_TITLE in page


def test_an_edit_and_a_workflow_step_show_at_once(team: None):
    draft = AssessmentVersion.objects.get(number=2)
    url = f"/assessments/{draft.assessment.slug}/v2/"
    analyst = client_for("analyst")
    assert "A retitled risk" not in analyst.get(url).content.decode()
    retitle_first_risk(draft, "A retitled risk")
    page, templates = _rendered(analyst, url)
    assert SECTIONS in templates and "A retitled risk" in page and HINT in page
    user = get_user_model().objects.get(username="analyst")
    workflow.submit_for_review(AssessmentVersion.objects.get(pk=draft.pk), user)
    page = analyst.get(url).content.decode()
    assert "A retitled risk" in page and HINT not in page and ">Edit<" not in page


def test_the_list_renders_the_country_picker_once(team: None):
    analyst = client_for("analyst")
    for _ in range(2):
        page, templates = _rendered(analyst, "/")
        assert 'id="pick_country"' in page and "— choose a country —" in page
    assert not [t for t in templates if t.startswith("django/forms/widgets/")]
    page, _ = _rendered(client_for("reader"), "/")
    assert 'id="pick_country"' not in page  # readers start no assessment


def test_the_header_links_by_role_from_one_read_of_the_memberships(team: None):
    """The admin's audit log and the whereabouts link as before (reviewers, admins and
    approvers of a team the user is in); the memberships are read once for page and header."""
    add_user("reviewer", "Field team", "reviewer", PASSWORD)
    add_user("admin", "Field team", "admin", PASSWORD)
    add_user("approver", "Field team", "analyst", PASSWORD)
    add_user("stranger", "Other team", "reader", PASSWORD)  # approves in a team not theirs
    field_team = Team.objects.get(name="Field team")
    for name in ("approver", "stranger"):
        user = get_user_model().objects.get(username=name)
        ApproverRole.objects.create(team=field_team, user=user, role="line-manager")
    audit, whereabouts = ">Audit log</a>", 'href="/care/who-is-where/">Who is where</a>'
    for name, sees_audit, sees_whereabouts in (
        ("reader", False, False),
        ("analyst", False, False),
        ("approver", False, True),
        ("reviewer", False, True),
        ("admin", True, True),
        ("stranger", False, False),
    ):
        page, _ = _rendered(client_for(name), "/")
        assert (audit in page, whereabouts in page) == (sees_audit, sees_whereabouts), name
    analyst = client_for("analyst")
    url = f"/assessments/{_slug()}/v2/"
    analyst.get(url)
    read: list[str] = []

    def counted(execute: Any, sql: str, *args: Any) -> Any:
        read.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(counted):
        assert analyst.get(url).status_code == 200
    assert len([sql for sql in read if '"accounts_membership"' in sql]) == 1


# With an evidence store (issue 13: the page with the store no slower than a few times the
# page without): the sections are kept too, under the store's state, and an editor's evidence
# forms carry each reader's own CSRF token.

PERU = "/assessments/pe-2009/v1/"
JUDGE = PERU + "risks/protests-roadblocks/open-data/"


def _import_protests(store: Path, csv: Path, rows: list[dict[str, str]]) -> None:
    from riskatlas.evidence import connect, import_file
    from riskatlas.evidence.coverage import Scope

    con = connect(store)
    try:
        import_file(con, "acled", write_extract(csv, rows), scope=Scope("full", "test"))
    finally:
        con.close()


@pytest.fixture
def peru_with_store(
    peru_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """The Peru example as a draft with two analysts; a store holding a year of Lima protests."""
    from tests.integration.conftest import import_draft

    store = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(store))
    import_draft(peru_yaml)
    for name in ("analyst", "analyst2"):
        add_user(name, "Field team", "analyst", PASSWORD)
    year = full_year(LIMA, date(2021, 7, 1), date(2022, 6, 30), "protest", every=14)
    _import_protests(store, tmp_path / "lima.csv", year)
    return store, tmp_path


def _unrest_row(page: str) -> str:
    register = page.index('id="register-table"')
    start = page.index("Staff caught in protests, strikes or roadblocks", register)
    return page[start : page.index("</tr>", start)]


def test_with_a_store_the_sections_are_kept_until_the_store_changes(
    peru_with_store: tuple[Path, Path],
):
    from riskatlas.evidence import evidence_cache

    store, folder = peru_with_store
    analyst = client_for("analyst")
    first, templates = _rendered(analyst, PERU)
    assert SECTIONS in templates and "Open data: 27 events" in _unrest_row(first)
    asked = evidence_cache.counts()
    again, templates = _rendered(client_for("analyst2"), PERU)
    assert SECTIONS not in templates  # kept: neither rendered nor the evidence asked again
    assert evidence_cache.counts() == asked
    assert "Open data: 27 events" in _unrest_row(again)
    # An import changes the store's files: the next view reads the evidence afresh.
    more = [event(LIMA, 70000 + n, date(2022, 3, 1 + n), "protest") for n in range(10)]
    _import_protests(store, folder / "more.csv", more)
    page, templates = _rendered(analyst, PERU)
    assert SECTIONS in templates and "Open data: 37 events" in _unrest_row(page)


def test_kept_evidence_forms_carry_each_readers_own_token(peru_with_store: tuple[Path, Path]):
    from riskatlas.apps.assessments.models import Risk

    client_for("analyst").get(PERU)  # rendered and kept with the first analyst
    second = Client(enforce_csrf_checks=True)
    second.force_login(get_user_model().objects.get(username="analyst2"))
    page = second.get(PERU).content.decode()
    form = page[page.index(f'action="{JUDGE}"') :]
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert page_sections.TOKEN not in page and len(token) == 64
    response = second.post(
        JUDGE, {"csrfmiddlewaretoken": token, "action": "override", "rationale": "we know"}
    )
    assert response.status_code == 302  # the token is this reader's: accepted
    risk = Risk.objects.get(key="protests-roadblocks")
    assert "we know" in risk.rationale
