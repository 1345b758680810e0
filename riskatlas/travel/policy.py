"""The travel policy: what a trip needs at each security level, and rules that add to it.

A team's policy is YAML (``schema/policy.schema.json``); the default ships in
``data/default_policy.yaml``. Beyond the schema every id a level or rule names must be defined,
and each level appears once.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from riskatlas.document.problems import Problem
from riskatlas.travel.files import FileCheck, check_bytes, check_text

CONDITION_WORDS = {
    "level_at_least": "the level is {} or higher",
    "staff": "the traveller is {} staff",
    "experience": "the traveller is {}",
    "transport": "the journey is {}",
    "night_travel": "part of the journey is after dark",
    "assessment_stale": "the assessment is past its review-by date",
    "not_assessed": "no published assessment covers the area",
}


def _references(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    defined = {
        "approvals": {a["id"] for a in data["approvers"]},
        "measures": {m["id"] for m in data["measures"]},
    }
    if "courses" in data:  # a policy naming its courses names every one it asks for
        defined["training"] = {c["id"] for c in data["courses"]}
    for kind in ("approvers", "courses", "measures", "rules"):
        seen: set[str] = set()
        for i, item in enumerate(data.get(kind) or []):
            if item["id"] in seen:
                problems.append(Problem((kind, i, "id"), f"{item['id']!r} is defined twice"))
            seen.add(item["id"])
    levels: set[int] = set()
    for i, level in enumerate(data["levels"]):
        if level["level"] in levels:
            problems.append(
                Problem(("levels", i, "level"), f"level {level['level']} is given twice")
            )
        levels.add(level["level"])
    for kind in ("levels", "rules"):
        for i, item in enumerate(data.get(kind) or []):
            for field, known in defined.items():
                for j, ref in enumerate(item.get(field) or []):
                    if ref not in known:
                        where = {"approvals": "approvers", "training": "courses"}.get(field, field)
                        problems.append(
                            Problem(
                                (kind, i, field, j), f"{ref!r} is not one of the policy's {where}"
                            )
                        )
    return problems


def check_policy_text(text: str, filename: str = "<policy>") -> FileCheck:
    return check_text(text, filename, "policy", _references)


def check_policy_bytes(content: bytes, filename: str) -> FileCheck:
    return check_bytes(content, filename, "policy", _references)


def default_policy_text() -> str:
    return (
        resources.files("riskatlas.travel")
        .joinpath("data", "default_policy.yaml")
        .read_text("utf-8")
    )


@cache
def _default_policy() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(default_policy_text())
    return data


def default_policy() -> dict[str, Any]:
    """The shipped policy (a fresh copy each call: callers may change theirs)."""
    import copy

    return copy.deepcopy(_default_policy())


def course_names(policy: dict[str, Any]) -> dict[str, str]:
    """The policy's training courses by id: the name people read ("Basic security training");
    a policy without ``courses`` (written before it could name them) gives none, and a course
    reads as its id."""
    return {c["id"]: c["name"] for c in policy.get("courses") or []}


def level_rule(policy: dict[str, Any], level: int) -> dict[str, Any]:
    """What the policy asks at ``level``: the entry for that level, else for the nearest level
    below it that has one, else nothing beyond registering."""
    entries = sorted(policy["levels"], key=lambda e: e["level"])
    chosen: dict[str, Any] = {"level": level, "approvals": []}
    for entry in entries:
        if entry["level"] <= level:
            chosen = entry
    return chosen


def describe_when(when: dict[str, Any]) -> str:
    """A rule's conditions in words ("the traveller is new-to-region and the level is 3 or
    higher")."""
    parts = []
    for key, value in when.items():
        words = CONDITION_WORDS[key]
        if isinstance(value, bool):
            parts.append(words if value else f"not ({words})")
        elif isinstance(value, list):
            parts.append(words.format(" or ".join(str(v) for v in value)))
        else:
            parts.append(words.format(value))
    return " and ".join(parts)


def reasons_in_words(reasons: Any) -> str:
    """Why a trip needs an approval or a measure, as one line: the reasons joined by "; ",
    each without its sentence-ending full stop ("…a journey plan; rule off-road: …") — a
    rule's reason is written as a sentence, and is stored and fingerprinted as written. A text
    already joined (an approval recorded before) has the stops before each "; " taken out."""
    if isinstance(reasons, str):
        reasons = reasons.split("; ")
    return "; ".join(_without_stop(str(r)) for r in reasons if r)


def _without_stop(reason: str) -> str:
    """``reason`` without a final full stop; an abbreviation ("U.S.") or "..." keeps it."""
    reason = reason.strip()
    if reason.endswith(".") and not re.search(r"(?:\b[A-Za-z]\.|\.\.)$", reason):
        return reason[:-1]
    return reason
