"""Only a draft takes reports and accepted items: a version in review refuses them on the
pages (409), in the services and on the command line, saying how to get it back to draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from riskatlas.apps.assessments import workflow
from riskatlas.apps.assessments.models import AssessmentVersion, VersionLockedError
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.services import accept, read_into
from riskatlas.apps.intelligence.models import Incident
from tests.integration.conftest import client_for, own_sqlite_files, run_riskatlas
from tests.integration.drafts.conftest import FIELD_NOTES

pytestmark = pytest.mark.django_db
BASE = "/assessments/zz-test/v1/drafts/"
LOCKED = "version 1 is in review; an analyst can withdraw it, or a reviewer return it to draft"


def test_a_version_in_review_takes_no_report_and_no_accepted_item(
    version: AssessmentVersion, analyst: Any
):
    document = read_into(version, "Field notes", FIELD_NOTES)
    item = document.items.get(kind="incident")
    incidents = Incident.objects.filter(version=version).count()
    workflow.submit_for_review(version, analyst)

    with pytest.raises(VersionLockedError, match=LOCKED):
        read_into(version, "Late report", FIELD_NOTES)
    with pytest.raises(VersionLockedError, match=LOCKED):
        accept(item, analyst)

    client = client_for("analyst")
    response = client.post(BASE + "read/", {"title": "Late", "text": FIELD_NOTES})
    assert response.status_code == 409
    assert "Version 1 is in review and cannot be changed" in response.content.decode()
    response = client.post(f"{BASE}{document.pk}/items/{item.pk}/", {"action": "accept"})
    assert response.status_code == 409
    assert SourceDocument.objects.count() == 1
    assert Incident.objects.filter(version=version).count() == incidents
    item.refresh_from_db()
    assert item.status == DraftItem.Status.PROPOSED
    page = client.get("/assessments/zz-test/v1/").content.decode()
    assert "Read a report" not in page

    # Withdrawn, it is a draft again and takes the item.
    workflow.withdraw(version, analyst)
    response = client.post(f"{BASE}{document.pk}/items/{item.pk}/", {"action": "accept"})
    assert response.status_code == 302
    assert Incident.objects.filter(version=version).count() == incidents + 1


@own_sqlite_files
def test_extract_into_a_version_in_review_is_refused(tmp_path: Path, everything_yaml: Path):
    db = tmp_path / "riskatlas.sqlite3"
    in_review = tmp_path / "in-review.yaml"
    in_review.write_text(
        everything_yaml.read_text().replace("status: draft", "status: in_review"),
        encoding="utf-8",
    )
    notes = tmp_path / "notes.txt"
    notes.write_text(FIELD_NOTES, encoding="utf-8")
    assert run_riskatlas(["import", str(in_review)], db).returncode == 0
    refused = run_riskatlas(["extract", str(notes), "--into", "zz-test"], db)
    assert refused.returncode == 1
    assert LOCKED in refused.stderr


def test_reviewers_see_the_reports_read_only_while_in_review(
    version: AssessmentVersion, analyst: Any
):
    from riskatlas.apps.accounts.users import add_user
    from riskatlas.apps.assessments.models import Risk

    add_user("reviewer", "Field team", "reviewer", "a-long-test-password-1")
    document = read_into(version, "Field notes", FIELD_NOTES)
    sentence = next(i for i in document.items.filter(kind="category") if "Lima" in i.quote)
    risk = Risk.objects.get(version=version, key="crime-lima")
    accept(sentence, analyst, risk=risk)
    workflow.submit_for_review(version, analyst)

    for username in ("reviewer", "analyst"):
        client = client_for(username)
        listing = client.get(BASE)
        assert listing.status_code == 200
        assert "Field notes" in listing.content.decode()
        page = client.get(f"{BASE}{document.pk}/").content.decode()
        assert "Read-only: version 1 is in review" in page
        assert "accepted → risk “Street crime in Lima" in page  # by name, not by id
        assert 'value="accept"' not in page and "Accept all shown" not in page
        assert "Read a report</a>" not in page
    assert client_for("reader").get(f"{BASE}{document.pk}/").status_code == 403
    # Deciding stays refused.
    item = document.items.filter(status=DraftItem.Status.PROPOSED).first()
    response = client_for("analyst").post(
        f"{BASE}{document.pk}/items/{item.pk}/", {"action": "reject"}
    )
    assert response.status_code == 409
