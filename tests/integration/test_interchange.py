"""Storing documents in the database: all or nothing, idempotent, frozen versions, round trip.

Runs on SQLite by default and on PostgreSQL when DATABASE_URL points at one."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from riskatlas.apps.assessments.interchange import (
    PART_MAPPERS,
    PART_MODELS,
    export_version,
    import_document,
)
from riskatlas.apps.assessments.mapping import Field, Group, Ref
from riskatlas.apps.assessments.models import (
    Assessment,
    AssessmentVersion,
    FrozenVersionError,
    Risk,
    VersionLockedError,
)
from riskatlas.apps.intelligence.models import Evidence, Source
from riskatlas.document import assessment_schema, load_document

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> dict[str, int]:
    counts = {m.__name__: m.objects.count() for m in PART_MODELS}
    counts["AssessmentVersion"] = AssessmentVersion.objects.count()
    counts["Assessment"] = Assessment.objects.count()
    return counts


def test_import_export_round_trip_is_exact(everything_yaml: Path):
    doc = load_document(everything_yaml)
    result = import_document(doc)
    assert result.action == "created"
    exported = export_version(result.version)
    assert exported == doc
    # Import of the export changes nothing.
    assert import_document(exported).action == "unchanged"


def test_importing_twice_duplicates_nothing(everything_yaml: Path):
    doc = load_document(everything_yaml)
    import_document(doc)
    before = _counts()
    assert before["Risk"] == 2 and before["Evidence"] > 5
    assert import_document(copy.deepcopy(doc)).action == "unchanged"
    assert _counts() == before


def test_a_changed_draft_is_replaced_in_place(everything_yaml: Path):
    doc = load_document(everything_yaml)
    import_document(doc)
    changed = copy.deepcopy(doc)
    changed["risks"][0]["residual"]["likelihood"] = 4
    result = import_document(changed)
    assert result.action == "replaced"
    assert AssessmentVersion.objects.count() == 1
    assert Risk.objects.get(key="crime-lima").residual_likelihood == 4
    assert Risk.objects.count() == 2


def test_a_published_version_is_frozen_and_changes_make_a_new_version(everything_yaml: Path):
    doc = load_document(everything_yaml)
    doc["assessment"]["status"] = "published"
    first = import_document(doc)
    assert first.version.is_frozen
    risk = Risk.objects.get(version=first.version, key="road")
    risk.title = "Edited in place"
    with pytest.raises(FrozenVersionError):
        risk.save()
    with pytest.raises(FrozenVersionError):
        first.version.delete()

    changed = copy.deepcopy(doc)
    changed["risks"][1]["title"] = "Road accidents, including taxis"
    second = import_document(changed)
    assert second.action == "new-version"
    assert second.version.number == 2
    assert second.version.status == "draft"
    assert Risk.objects.get(version=first.version, key="road").title == "Road accident"
    assert Risk.objects.get(version=second.version, key="road").title == (
        "Road accidents, including taxis"
    )
    # The frozen version exports exactly as it was imported.
    assert export_version(first.version) == doc


def test_while_a_version_is_in_review_changed_documents_are_refused(everything_yaml: Path):
    doc = load_document(everything_yaml)
    doc["assessment"]["status"] = "published"
    import_document(doc)
    review = copy.deepcopy(doc)
    review["assessment"].update(version=2, status="in_review")
    review["risks"][1]["title"] = "Road accidents, including taxis"
    assert import_document(review).action == "created"
    before = _counts()
    stored = export_version(AssessmentVersion.objects.get(number=2))
    assert import_document(copy.deepcopy(review)).action == "unchanged"

    message = "zz-test version 2 is in review; an analyst can withdraw it"
    changed = copy.deepcopy(review)
    changed["risks"][1]["title"] = "Changed while in review"
    older = copy.deepcopy(doc)  # a change to version 1 would otherwise become version 3
    older["risks"][0]["title"] = "Changed in the published version"
    later = copy.deepcopy(changed)
    later["assessment"]["version"] = 3
    for attempt in (changed, older, later):
        with pytest.raises(VersionLockedError, match=message):
            import_document(attempt)
    assert _counts() == before
    assert export_version(AssessmentVersion.objects.get(number=2)) == stored


def test_a_failing_import_leaves_nothing_behind(everything_yaml: Path):
    doc = load_document(everything_yaml)
    broken = copy.deepcopy(doc)
    # A reference the validator would have caught: the write fails half-way through.
    broken["risks"][1]["evidence"] = [{"source": "missing-source"}]
    with pytest.raises(KeyError):
        import_document(broken)
    counts = _counts()
    assert len(counts) == len(PART_MODELS) + 2  # every part, the versions, the assessments
    assert set(counts.values()) == {0}, counts


def test_a_failing_re_import_keeps_the_stored_version(everything_yaml: Path):
    doc = load_document(everything_yaml)
    import_document(doc)
    before = _counts()
    broken = copy.deepcopy(doc)
    broken["risks"][0]["title"] = "changed"
    broken["risks"][1]["evidence"] = [{"source": "missing-source"}]
    with pytest.raises(KeyError):
        import_document(broken)
    assert _counts() == before
    assert Risk.objects.get(key="crime-lima").title == "Street crime in Lima"


def test_evidence_keeps_its_source_and_grade(everything_yaml: Path):
    import_document(load_document(everything_yaml))
    risk = Risk.objects.get(key="crime-lima")
    items = list(Evidence.objects.filter(subject_kind="risk", subject_id=risk.pk))
    assert [(e.source.key, e.grade, e.quote) for e in items] == [
        ("field", "B2", "Muggings after dark.")
    ]
    assert Source.objects.get(key="press").reliability == "C"


def test_every_section_of_the_format_is_stored_by_one_mapper():
    schema = assessment_schema()
    whole = {"riskatlas", "assessment", "matrix", "exposure"}
    sections = [(key,) for key in schema["properties"] if key not in whole]
    sections += [("exposure", key) for key in schema["$defs"]["exposure"]["properties"]]
    assert sorted(mapper.section for mapper in PART_MAPPERS) == sorted(sections)
    assert {mapper.model for mapper in PART_MAPPERS} <= set(PART_MODELS)


def _refers_to(fields: tuple[Field, ...]) -> set[str]:
    found = set()
    for field in fields:
        if isinstance(field, Ref):
            found.add(field.table)
        if isinstance(field, Group):
            found |= _refers_to(field.fields)
    return found


def test_a_kind_of_part_refers_only_to_kinds_stored_before_it():
    stored: set[str] = set()
    for mapper in PART_MAPPERS:
        assert _refers_to(mapper.fields) <= stored, mapper.section
        stored.add(mapper.name)


def test_areas_and_places_keep_whose_they_are(everything_yaml: Path):
    version = import_document(load_document(everything_yaml)).version
    stored = {
        (e.subject_kind, e.source.key, e.quote, e.note, e.is_judgement)
        for e in Evidence.objects.filter(version=version, subject_kind__in=["area", "place"])
    }
    assert stored == {
        ("area", "ana", "", "No-go because no measure reduces the impact of an ambush.", True),
        ("place", "field", "Lima office in Miraflores.", "", False),
        ("place", "ana", "", "City centre from a gazetteer.", True),
    }
    assert version.provenance.startswith("The field visit and press quotes are the sources'")
    exported = export_version(version)
    vraem = next(a for a in exported["areas"] if a["code"] == "vraem")
    assert vraem["evidence"] == [
        {"source": "ana", "note": "No-go because no measure reduces the impact of an ambush."}
    ]
