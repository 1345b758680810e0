"""The travel policy: the shipped default is valid; a team's broken policy is refused with
located problems; a rule's conditions read as words."""

from __future__ import annotations

from riskatlas.travel.policy import (
    check_policy_text,
    course_names,
    default_policy_text,
    describe_when,
    level_rule,
)


def test_the_default_policy_is_valid_and_covers_every_level():
    result = check_policy_text(default_policy_text(), "default")
    assert result.problems == []
    policy = result.content()
    assert sorted(e["level"] for e in policy["levels"]) == [1, 2, 3, 4, 5]
    assert "no-road-travel-after-dark" in level_rule(policy, 4)["measures"]


def test_undefined_ids_and_repeated_levels_are_located():
    four = "approvals: [line-manager, regional-security-manager]\n    measures: [register-travel,"
    text = (
        default_policy_text()
        .replace(four, four.replace("regional-security-manager", "country-director"), 1)
        .replace("  - level: 2\n", "  - level: 1\n")
    )
    result = check_policy_text(text, "policy.yaml")
    assert [p.format("policy.yaml") for p in result.problems] == [
        "policy.yaml:52: levels[1].level: level 1 is given twice",
        "policy.yaml:61: levels[3].approvals[1]: 'country-director' is not one of the policy's"
        " approvers",
    ]


def test_a_level_without_an_entry_takes_the_nearest_below():
    policy = check_policy_text(default_policy_text()).content()
    policy["levels"] = [e for e in policy["levels"] if e["level"] != 4]
    assert level_rule(policy, 4)["level"] == 3


def test_conditions_read_as_words():
    words = describe_when({"experience": ["new-to-country", "new-to-region"], "level_at_least": 3})
    assert words == "the traveller is new-to-country or new-to-region and the level is 3 or higher"


def test_courses_are_named_and_a_course_the_policy_does_not_name_is_located():
    policy = check_policy_text(default_policy_text()).content()
    assert course_names(policy) == {
        "basic-security": "Basic security training",
        "specialised-awareness": "Specialised security-awareness training",
    }
    text = default_policy_text().replace(
        "training: [basic-security, specialised-awareness]\n    essential_only",
        "training: [basic-security, hostile-environment]\n    essential_only",
        1,
    )
    line = text.splitlines().index("    training: [basic-security, hostile-environment]") + 1
    assert [p.format("policy.yaml") for p in check_policy_text(text, "policy.yaml").problems] == [
        f"policy.yaml:{line}: levels[4].training[1]: 'hostile-environment' is not one of the"
        " policy's courses"
    ]
    # A policy written before courses could be named stays valid: its courses read as ids.
    older = default_policy_text().split("# The training courses")[0]
    policy = check_policy_text(older).content()
    assert "courses" not in policy and course_names(policy) == {}
