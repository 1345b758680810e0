"""The trip page names a no-go area as a reader knows it: the analyst's own VRAEM by its name,
not followed by its internal id ("… (VRAE) (vraem)"); an ISO area keeps its code."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from .conftest import Peru

pytestmark = pytest.mark.django_db


def test_the_no_go_list_names_the_vraem_without_its_id(peru: Peru):
    client = Client()
    client.force_login(peru.users["analyst"])
    page = html.unescape(
        re.sub(r"\s+", " ", client.get(f"/trips/{peru.trip.pk}/").content.decode())
    )
    assert '<li class="tag-nogo">Apurímac and Ene river valleys (VRAE), level 5</li>' in page
    assert "(vraem)" not in page
    assert "<td>Huancavelica (PE-HUV)</td>" in page  # an ISO 3166-2 area keeps its code
