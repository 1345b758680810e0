"""Prepared report files are found from the version's row, and a change through the single
writer or a workflow step gives a new file: a cached report is never out of date."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.report_files import cached_report, render_report_file
from tests.integration.conftest import import_draft, retitle_first_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(everything_yaml: Path, home_without_store: Path) -> AssessmentVersion:
    return import_draft(everything_yaml)


def test_a_change_through_the_writer_gives_a_new_report(version: AssessmentVersion):
    first = render_report_file(version, "md")
    assert cached_report(version, "md") == first
    retitle_first_risk(version, "A retitled risk")
    version.refresh_from_db()
    assert cached_report(version, "md") is None  # the old file is not served for the new content
    second = render_report_file(version, "md")
    assert second != first and "A retitled risk" in second.read_text("utf-8")
    assert "A retitled risk" not in first.read_text("utf-8")


def test_a_workflow_step_gives_a_new_report(version: AssessmentVersion):
    render_report_file(version, "md")
    version.status = "in_review"
    version.save(update_fields=["status"])
    assert cached_report(version, "md") is None
    assert export_version(version)["assessment"]["status"] == "in_review"
