"""Reading a report into a draft version: what is stored, and from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.apps.assessments.models import AssessmentVersion, FrozenVersionError
from riskatlas.apps.drafts.models import SourceDocument
from riskatlas.apps.drafts.services import counts, read_into
from riskatlas.apps.intelligence.models import Evidence, Source
from riskatlas.extraction import extract
from tests.integration.conftest import own_sqlite_files, run_riskatlas
from tests.integration.drafts.conftest import FIELD_NOTES

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[3] / ".." / "shared" / "seed" / "000_bf218ab2b5ef083b.txt"


def test_field_notes_become_proposed_items_and_nothing_else(version: AssessmentVersion):
    sources, evidence = Source.objects.count(), Evidence.objects.count()
    document = read_into(version, "Field notes", FIELD_NOTES)
    assert counts(document) == {
        "category": 4,  # the secure-taxi sentence is a recommendation only
        "place": 3,
        "actor": 1,
        "incident": 1,
        "trend": 1,
        "likelihood": 1,
        "recommendation": 1,
        "credibility": 1,
    }
    assert set(document.items.values_list("status", flat=True)) == {"proposed"}
    for item in document.items.all():  # offsets index the stored text
        assert document.text[item.start : item.end] in item.quote or item.kind == "actor"
    actor = document.items.get(kind="actor")
    assert document.text[actor.start : actor.end] == "Shining Path"
    # Nothing reaches the assessment until an analyst accepts it.
    assert (Source.objects.count(), Evidence.objects.count()) == (sources, evidence)


def test_the_seed_report_gives_one_item_per_threat_sentence(version: AssessmentVersion):
    if not SEED.is_file():
        pytest.skip(f"seed report not found at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    document = read_into(version, "Peru 2009 field report", text)
    found = counts(document)
    assert found["incident"] == 2
    assert found["recommendation"] == 2
    assert found["credibility"] == 8
    # One per sentence that states a threat: 38 of the 51 with categories (the others name
    # no harm: "President Alan Garcia is at his second mandate…"), of 68 sentences.
    assert 30 <= found["category"] <= 51
    strength = document.items.get(kind="actor", payload__name="Shining Path")
    assert strength.payload["figures"][0]["value"] == 300
    kinds_of_places = {i.payload["kind"] for i in document.items.filter(kind="place")}
    assert "country" not in kinds_of_places
    assert "Handahuaylas" in {i.payload["text"] for i in document.items.filter(kind="place")}


def test_a_frozen_version_refuses_a_report(version: AssessmentVersion):
    version.status = "published"
    version.save()
    with pytest.raises(FrozenVersionError, match="version 1 is published and frozen"):
        read_into(version, "Late report", FIELD_NOTES)
    assert not SourceDocument.objects.exists()


@own_sqlite_files
def test_extract_into_stores_the_report_for_review(tmp_path: Path, everything_yaml: Path):
    db = tmp_path / "riskatlas.sqlite3"
    notes = tmp_path / "notes.txt"
    notes.write_text(FIELD_NOTES, encoding="utf-8")
    assert run_riskatlas(["import", str(everything_yaml)], db).returncode == 0

    done = run_riskatlas(["extract", str(notes), "--into", "zz-test"], db)
    assert done.returncode == 0, done.stderr
    assert "Read “notes.txt” into zz-test version 1: 13 items to review" in done.stdout
    assert "  incident           1" in done.stdout
    assert "Review them at /assessments/zz-test/v1/drafts/1/" in done.stdout
    again = run_riskatlas(["extract", str(notes), "--into", "zz-test"], db)
    assert again.returncode == 0, again.stderr
    assert "Already read into zz-test version 1 as “notes.txt”: nothing was added." in again.stdout

    published = everything_yaml.read_text().replace("status: draft", "status: published")
    frozen_yaml = tmp_path / "published.yaml"
    frozen_yaml.write_text(published)
    other = tmp_path / "other.sqlite3"
    assert run_riskatlas(["import", str(frozen_yaml)], other).returncode == 0
    refused = run_riskatlas(["extract", str(notes), "--into", "zz-test@1"], other)
    assert refused.returncode == 1
    assert "version 1 is published and frozen; make a new version first" in refused.stderr
    missing = run_riskatlas(["extract", str(notes), "--into", "nowhere"], other)
    assert missing.returncode == 1 and "no assessment 'nowhere'" in missing.stderr


@own_sqlite_files
def test_without_into_extract_prints_the_draft_as_before(tmp_path: Path):
    notes = tmp_path / "notes.txt"
    notes.write_text(FIELD_NOTES, encoding="utf-8")
    done = run_riskatlas(["extract", str(notes)], tmp_path / "unused.sqlite3")
    assert done.returncode == 0
    assert '"incidents"' in done.stdout and "Review them" not in done.stdout
    assert not (tmp_path / "unused.sqlite3").exists()


def test_a_region_of_the_assessments_country_is_proposed_with_its_code(
    version: AssessmentVersion,
):
    """The assessment is of Peru (PE): a region a threat sentence names is proposed with its
    ISO 3166-2 code though the report never says Peru (read without the country, it has no
    place at all: ``extract`` alone finds nothing to place Huánuco in)."""
    text = "Armed groups ambushed a police patrol in the region of Huánuco last month."
    document = read_into(version, "Patrol report", text)
    places = [i.payload for i in document.items.filter(kind="place")]
    assert [(p["text"], p["iso_3166"], p["kind"]) for p in places] == [
        ("Huánuco", "PE-HUC", "subdivision")
    ]
    assert version.assessment.country == "PE"
    assert extract(text)["places"] == []
