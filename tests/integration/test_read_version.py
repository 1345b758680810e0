"""Pages read a version's document from memory (``read_version``) while its content is the
same; a change through the single writer, a workflow step or a removed part is read afresh,
and a page that changes its copy changes nothing kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.interchange import export_version, read_version
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from tests.integration.conftest import PASSWORD, client_for, import_draft, retitle_first_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(everything_yaml: Path, home_without_store: Path) -> AssessmentVersion:
    return import_draft(everything_yaml)


def test_the_document_read_is_the_exported_one_and_a_copy(version: AssessmentVersion):
    first = read_version(version)
    assert first == export_version(version)
    first["risks"][0]["title"] = "changed by a page"
    assert read_version(version)["risks"][0]["title"] != "changed by a page"


def test_a_change_through_the_writer_is_read_afresh(version: AssessmentVersion):
    before = read_version(version)
    assert before["risks"][0]["title"] != "A retitled risk"
    retitle_first_risk(version, "A retitled risk")
    stored = AssessmentVersion.objects.get(pk=version.pk)  # as the next request loads it
    assert read_version(stored)["risks"][0]["title"] == "A retitled risk"
    assert read_version(stored) == export_version(stored)


def test_a_removed_part_and_a_workflow_step_are_read_afresh(version: AssessmentVersion):
    ids = [r["id"] for r in read_version(version)["risks"]]
    removable = next(
        r for r in Risk.objects.filter(version=version) if not writer.remove_part(r, "risk")
    )
    stored = AssessmentVersion.objects.get(pk=version.pk)
    assert [r["id"] for r in read_version(stored)["risks"]] == [
        i for i in ids if i != removable.key
    ]
    stored.status = "in_review"
    stored.save(update_fields=["status"])
    assert read_version(stored)["assessment"]["status"] == "in_review"


def test_the_page_shows_an_edit_made_after_it_was_read(version: AssessmentVersion):
    add_user("analyst", "Field team", Role.ANALYST, PASSWORD)
    client = client_for("analyst")
    url = f"/assessments/{version.assessment.slug}/"
    assert "A retitled risk" not in client.get(url).content.decode()
    retitle_first_risk(version, "A retitled risk")
    assert "A retitled risk" in client.get(url).content.decode()
