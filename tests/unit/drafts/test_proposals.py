"""Which parts of a draft become items to review (pure: no database)."""

from __future__ import annotations

from riskatlas.apps.drafts.proposals import proposals
from riskatlas.extraction import extract

TEXT = """## Terrorism

Terrorists are likely to try to carry out attacks in Lima.

[Next: Crime](/foreign-travel-advice/peru/crime)

## Crime

Armed robbery is common in the capital after dark.
"""


def test_headings_and_link_lines_are_not_threat_sentences() -> None:
    draft = extract(TEXT)
    tagged = [s["text"] for s in draft["sentences"] if s["categories"]]
    assert "Terrorism" in tagged  # the engine still reads the heading's category...
    quotes = [p.quote for p in proposals(draft, TEXT) if p.kind == "category"]
    assert quotes == [  # ...but only sentences worth a review become items
        "Terrorists are likely to try to carry out attacks in Lima.",
        "Armed robbery is common in the capital after dark.",
    ]
