"""An area may say why it is not assessed (``not_assessed_reason``); one with a level set by
hand is assessed, and saying both is refused at its line."""

from pathlib import Path

from riskatlas.document import validate_text


def test_a_reason_an_area_is_not_assessed_is_valid(everything_yaml: Path):
    text = everything_yaml.read_text().replace(
        "  - {code: PE-AYA}\n",
        "  - {code: PE-AYA, not_assessed_reason: Not visited; no project activity.}\n",
        1,
    )
    result = validate_text(text, "ok.yaml")
    assert result.problems == []
    areas = {a["code"]: a for a in result.document()["areas"]}
    assert areas["PE-AYA"]["not_assessed_reason"] == "Not visited; no project activity."


def test_a_level_set_by_hand_and_a_reason_not_to_assess_contradict(everything_yaml: Path):
    old = "    level_reason: Armed groups; no project activity.\n"
    text = everything_yaml.read_text()
    assert old in text
    text = text.replace(old, old + "    not_assessed_reason: Not visited.\n", 1)
    line = text.splitlines().index("    not_assessed_reason: Not visited.") + 1
    problems = [p.format("bad.yaml") for p in validate_text(text, "bad.yaml").problems]
    assert problems == [
        f"bad.yaml:{line}: areas[3].not_assessed_reason: an area with a security level set by "
        "hand is assessed; leave this out"
    ]
