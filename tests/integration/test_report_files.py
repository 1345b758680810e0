"""Prepared report files are found from the version's row, and a change through the single
writer or a workflow step gives a new file: a cached report is never out of date."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.assessments.report_files import cached_report, render_report_file
from riskatlas.document import load_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(everything_yaml: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "no-store.duckdb"))
    doc = load_document(everything_yaml)
    doc["assessment"]["status"] = "draft"
    import_document(copy.deepcopy(doc), team=ensure_team("Field team"))
    return AssessmentVersion.objects.get()


def test_a_change_through_the_writer_gives_a_new_report(version: AssessmentVersion):
    first = render_report_file(version, "md")
    assert cached_report(version, "md") == first
    risk = Risk.objects.filter(version=version).first()
    assert risk is not None

    def retitle() -> Risk:
        risk.title = "A retitled risk"
        risk.save()
        return risk

    writer.save_part(version, retitle)
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
