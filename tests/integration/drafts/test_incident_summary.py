"""An incident proposed from a report names each area once: "NG-BO", not "NG-BO, NG-BO" when
the sentence names a town and its state ("near Damboa, Borno")."""

from __future__ import annotations

from riskatlas.apps.drafts.models import DraftItem
from riskatlas.apps.drafts.views import _summary


def test_an_incident_names_each_area_once():
    item = DraftItem(
        kind="incident",
        payload={
            "when": {"date": "2026-09-14", "precision": "day"},
            "what": ["abducted"],
            "categories": ["KID"],
            "where": [
                {"name": "Damboa", "text": "Damboa", "iso_3166": "NG-BO"},
                {"name": "Borno", "text": "Borno", "iso_3166": "NG-BO"},
                {"name": "Toccate", "text": "Toccate"},
            ],
        },
    )
    assert _summary(item) == ("2026-09-14 (day); abducted; KID; NG-BO, Toccate (no ISO code)")
