"""A tour of the web app's pages for the accessibility and phone-layout browser tests: the
Peru example as a draft with a report read into drafts and a queued PDF job, and the people
who see each page (an analyst, a team admin, a reader of another team, nobody signed in)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import Risk
from riskatlas.apps.drafts.services import read_into
from riskatlas.apps.jobs.models import Job
from riskatlas.document import load_document

PASSWORD = "a-long-test-password-1"
TEAM = "Demo NGO security unit"
NOTES = (
    "Street crime in Lima will probably rise. Armed robbery in Lima increased in 2008. "
    "Gunmen abducted two engineers in Lima on 12 March 2008. Shining Path attacked a patrol "
    "in Ayacucho."
)


@dataclass(frozen=True)
class Stop:
    name: str  # also the screenshot's name
    user: str | None  # who looks at it (None: nobody signed in)
    path: str


def build_site(peru_yaml: Path) -> list[Stop]:
    """Store the tour's data and return its pages, in the order a person would meet them."""
    doc = load_document(peru_yaml)
    doc["assessment"]["status"] = "draft"
    version = import_document(doc, team=ensure_team(TEAM)).version
    add_user("analyst", TEAM, "analyst", PASSWORD)
    add_user("admin", TEAM, "admin", PASSWORD)
    add_user("outsider", "Other organisation", "reader", PASSWORD)
    drafts = read_into(version, "Field notes", NOTES, use_model=False)
    job = Job.objects.create(kind=Job.Kind.REPORT, version=version, fmt="pdf")
    risk = Risk.objects.filter(version=version).order_by("pk").first()
    assert risk is not None
    v = f"/assessments/{version.assessment.slug}/v{version.number}/"
    return [
        Stop("login", None, "/accounts/login/"),
        Stop("list", "analyst", "/"),
        Stop("list-empty", "outsider", "/"),
        Stop("new-assessment", "analyst", "/new/"),
        Stop("new-assessment-areas", "analyst", "/new/?country=CO"),
        Stop("team-template", "admin", f"/teams/{version.assessment.team.slug}/template/"),
        Stop("assessment", "analyst", v),
        Stop("edit-overview", "analyst", v + "edit/"),
        Stop("edit-details", "analyst", v + "edit/metadata/"),
        Stop("edit-risks", "analyst", v + "edit/risks/"),
        Stop("risk-form", "analyst", f"{v}edit/risks/{risk.pk}/"),
        Stop("risk-form-new", "analyst", v + "edit/risks/new/"),
        Stop("risks-several", "analyst", v + "edit/risks/several/"),
        Stop("risk-measures", "analyst", f"{v}edit/risks/{risk.pk}/measures/"),
        Stop("cite-source", "analyst", f"{v}edit/risks/{risk.pk}/cite/"),
        Stop("risk-delete", "analyst", f"{v}edit/risks/{risk.pk}/delete/"),
        Stop("edit-measures", "analyst", v + "edit/mitigations/"),
        Stop("edit-areas", "analyst", v + "edit/areas/"),
        Stop("area-form-new", "analyst", v + "edit/areas/new/"),
        Stop("incident-form-new", "analyst", v + "edit/incidents/new/"),
        Stop("review", "analyst", v + "review/"),
        Stop("history", "analyst", f"/assessments/{version.assessment.slug}/history/"),
        Stop("workspace", "analyst", "/workspace/"),
        Stop("overdue", "analyst", "/workspace/overdue/"),
        Stop("register-import", "analyst", v + "register/import/"),
        Stop("drafts", "analyst", v + "drafts/"),
        Stop("drafts-read", "analyst", v + "drafts/read/"),
        Stop("drafts-review", "analyst", f"{v}drafts/{drafts.pk}/"),
        Stop("job", "analyst", f"/jobs/{job.pk}/"),
        Stop("import", "admin", "/import/"),
        Stop("audit", "admin", "/audit/"),
    ]


def visit(
    browser: Any, base_url: str, stops: list[Stop], viewport: dict[str, int], **options: Any
) -> Iterator[tuple[Stop, Any]]:
    """Open each stop in a browser context of its person (signed in once), at ``viewport``;
    nothing but the live server is reached (map tiles are refused)."""
    pages: dict[str | None, Any] = {}
    contexts = []
    try:
        for stop in stops:
            if stop.user not in pages:
                context = browser.new_context(viewport=viewport, **options)
                contexts.append(context)
                context.route("**/*", _only(base_url))
                page = context.new_page()
                page.set_default_timeout(15000)
                if stop.user:
                    _sign_in(page, base_url, stop.user)
                pages[stop.user] = page
            page = pages[stop.user]
            response = page.goto(base_url + stop.path)
            assert response is not None and response.status == 200, (stop, response)
            page.wait_for_load_state("load")
            yield stop, page
    finally:
        for context in contexts:
            context.close()


def _only(base_url: str) -> Callable[[Any], None]:
    def route(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    return route


def _sign_in(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/")
