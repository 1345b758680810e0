"""The review page narrows the list to one kind and to the items still to decide, and keeps
that filter after a decision."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.drafts.models import DraftItem
from riskatlas.apps.drafts.services import read_into
from riskatlas.document import load_document

pytestmark = pytest.mark.django_db

NOTES = (
    "On 9 June 2003 armed men abducted workers near Huancayo in Junin.\n\n"
    "It is recommended to use a secure taxi company booked before arrival.\n\n"
    "Crime is rising in Lima after dark."
)


@pytest.fixture
def analyst_and_document(everything_yaml: Path) -> tuple[Client, str, DraftItem]:
    import_document(load_document(everything_yaml), team=ensure_team("Field team"))
    add_user("analyst", "Field team", "analyst", "a-long-test-password-1")
    version = AssessmentVersion.objects.get(number=1)
    document = read_into(version, "notes.txt", NOTES)
    client = Client()
    client.force_login(get_user_model().objects.get(username="analyst"))
    url = f"/assessments/zz-test/v1/drafts/{document.pk}/"
    item = document.items.get(kind="incident")
    return client, url, item


def test_filter_by_kind_and_status(analyst_and_document):
    client, url, item = analyst_and_document
    page = client.get(url + "?kind=incident").content.decode()
    assert page.count('class="draft-item ') == 1
    assert f'id="item-{item.pk}"' in page
    response = client.post(
        url + f"items/{item.pk}/", {"action": "reject", "query": "kind=incident&status=proposed"}
    )
    assert response["Location"].endswith(f"?kind=incident&status=proposed#item-{item.pk}")
    page = client.get(url + "?kind=incident&status=proposed").content.decode()
    assert 'class="draft-item ' not in page
    assert "Nothing left to show with this filter." in page
    assert client.get(url).content.decode().count('class="draft-item ') > 1
