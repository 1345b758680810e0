"""Validation names the file, line, field and problem; valid documents normalise."""

from pathlib import Path

from riskatlas.document import load_document, validate_text
from riskatlas.document.yaml_lines import load_with_lines


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_the_fixture_is_valid(everything_yaml: Path):
    result = validate_text(everything_yaml.read_text(), "everything.yaml")
    assert result.problems == []


def test_impossible_likelihood_is_reported_at_its_line(everything_yaml: Path):
    text = _replace(
        everything_yaml.read_text(),
        "inherent: {likelihood: 5, impact: 3}",
        "inherent: {likelihood: 9, impact: 3}",
    )
    result = validate_text(text, "bad.yaml")
    assert len(result.problems) == 1
    line = _line_of(text, "likelihood: 9")
    assert result.problems[0].format("bad.yaml") == (
        f"bad.yaml:{line}: risks[0].inherent.likelihood: 9 is above the maximum of 5"
    )


def test_missing_required_field_is_reported_at_its_parent(everything_yaml: Path):
    text = _replace(everything_yaml.read_text(), "    rationale: Bad roads.\n", "")
    result = validate_text(text, "bad.yaml")
    messages = [p.format("bad.yaml") for p in result.problems]
    line = _line_of(text, "- id: road")
    assert messages == [
        f"bad.yaml:{line}: risks[1].rationale: required field 'rationale' is missing"
    ]


def test_dangling_references_unknown_codes_and_bad_dates(everything_yaml: Path):
    text = everything_yaml.read_text()
    text = _replace(text, "area: PE-LMA\n    exposed", "area: PE-XXX\n    exposed")
    text = _replace(text, '{source: field, quote: "Muggings', '{source: nowhere, quote: "Muggings')
    text = _replace(text, "as_of: 2024-02-01", "as_of: 2024-02-30")
    text = _replace(text, "- {code: PE-AYA}", "- {code: PE-ZZZ}")
    fields = {p.field: p.message for p in validate_text(text, "x.yaml").problems}
    assert fields["risks[0].area"].startswith("no area 'PE-XXX' in areas")
    assert fields["risks[0].evidence[0].source"].startswith("no source 'nowhere' in sources")
    assert fields["assessment.as_of"] == "'2024-02-30' is not a real date"
    assert fields["areas[2].code"] == "'PE-ZZZ' is not an ISO 3166 code"


def test_custom_area_needs_parts_and_override_needs_reason(everything_yaml: Path):
    text = everything_yaml.read_text()
    text = _replace(text, "    parts: [PE-AYA, PE-CUS]\n", "")
    text = _replace(text, "    level_reason: Armed groups; no project activity.\n", "")
    fields = {p.field: p.message for p in validate_text(text, "x.yaml").problems}
    assert "needs parts" in fields["areas[3]"]
    assert "needs level_reason" in fields["areas[3].level"]


def test_unknown_fields_and_yaml_syntax_errors():
    result = validate_text("riskatlas: 1\nassessment: [\n", "broken.yaml")
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "YAML syntax: did not find expected node content")
    ]
    result = validate_text("riskatlas: 1\nriskatlas: 1\n", "dup.yaml")
    assert [(p.line, p.message) for p in result.problems] == [(2, "duplicate key 'riskatlas'")]


def test_dates_stay_strings_and_lines_are_recorded():
    data, lines = load_with_lines("a:\n  b: 2009-11-29\n  c:\n    - 1\n    - 2\n")
    assert data == {"a": {"b": "2009-11-29", "c": [1, 2]}}
    assert lines[("a", "b")] == 2
    assert lines[("a", "c", 1)] == 5


def test_normalise_copies_in_the_matrix_and_library_mitigations(everything_yaml: Path):
    doc = load_document(everything_yaml)
    assert doc["matrix"]["id"] == "default-5x5"
    codes = [m["code"] for m in doc["mitigations"]]
    assert codes == ["LOCAL-GUARD", "MOV-SECURE-TAXI"]
    assert [a["name"] for a in doc["areas"]][:3] == ["Peru", "Lima", "Ayacucho"]
    assert list(doc)[:4] == ["riskatlas", "assessment", "matrix", "exposure"]
