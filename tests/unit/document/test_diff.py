"""The diff speaks a reviewer's language and reports exactly what changed."""

import copy
from pathlib import Path

from riskatlas.document import diff_documents, load_document


def test_identical_documents_have_no_changes(everything_yaml: Path):
    doc = load_document(everything_yaml)
    assert diff_documents(doc, copy.deepcopy(doc)) == []


def test_one_re_rated_risk_is_exactly_one_change(everything_yaml: Path):
    old = load_document(everything_yaml)
    new = copy.deepcopy(old)
    new["risks"][0]["residual"]["likelihood"] = 4
    changes = diff_documents(old, new)
    assert len(changes) == 1
    assert changes[0].sentence == (
        "Changed risk crime-lima (Street crime in Lima): residual likelihood 3 (possible) → "
        "4 (likely); residual level medium → high."
    )


def test_added_removed_and_metadata_changes(everything_yaml: Path):
    old = load_document(everything_yaml)
    new = copy.deepcopy(old)
    removed = new["incidents"].pop()
    new["actors"].append({"id": "new-gang", "name": "New gang", "type": "criminal"})
    new["assessment"]["as_of"] = "2024-03-01"
    new["context"][0]["text"] = "A fragile government facing protests."
    sentences = [c.sentence for c in diff_documents(old, new)]
    assert "Assessment: as_of “2024-02-01” → “2024-03-01”." in sentences
    assert f"Removed incident {removed['id']} ({removed['title']})." in sentences
    assert "Added actor new-gang (New gang)." in sentences
    assert any(s.startswith("Changed context section “Government”") for s in sentences)
