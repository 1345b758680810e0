"""A team's travel policy: read (the default when it has none), changed as a new version after
the core's checks (located errors; nothing saved when any), and the rules in words."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from riskatlas.apps.audit.context import acting_as, current_actor
from riskatlas.apps.travel.deciding import current_policy_row
from riskatlas.apps.travel.models import ApproverRole, TravelPolicy
from riskatlas.travel.policy import (
    check_policy_text,
    course_names,
    default_policy_text,
    describe_when,
)


def policy_text(team: Any) -> str:
    row = current_policy_row(team)
    return row.text if row is not None else default_policy_text()


def save_policy(team: Any, text: str, user: Any) -> TravelPolicy:
    """The text as the team's new policy version; raises DocumentError (every problem with
    its line and field) and saves nothing when the text has any. Open trips whose decision the
    change affects are reopened."""
    check_policy_text(text, "policy.yaml").content()
    with transaction.atomic(), acting_as(user, current_actor().via):
        row = current_policy_row(team)
        policy = TravelPolicy.objects.create(
            team=team,
            text=text,
            version=(row.version + 1) if row is not None else 1,
            updated_by=user if getattr(user, "is_authenticated", False) else None,
            updated_at=timezone.now(),
        )
    from riskatlas.apps.travel.workflow import reopen_changed_trips

    reopen_changed_trips(team)
    return policy


def described(policy: dict[str, Any]) -> dict[str, Any]:
    """The policy for the page: each level's and rule's approvals, measures and training by
    name, and each rule's conditions in words."""
    approvers = {a["id"]: a["name"] for a in policy["approvers"]}
    measures = {m["id"]: m["name"] for m in policy["measures"]}
    courses = course_names(policy)

    def named(entry: dict[str, Any]) -> dict[str, Any]:
        return {
            **entry,
            "approval_names": [approvers.get(a, a) for a in entry.get("approvals") or []],
            "measure_names": [measures.get(m, m) for m in entry.get("measures") or []],
            "training_names": [courses.get(c, c) for c in entry.get("training") or []],
        }

    return {
        "name": policy.get("name", ""),
        "approvers": policy["approvers"],
        "levels": [named(e) for e in sorted(policy["levels"], key=lambda e: e["level"])],
        "rules": [
            {**named(r), "when_words": describe_when(r.get("when") or {})}
            for r in policy.get("rules") or []
        ],
    }


def approver_roles(team: Any) -> list[ApproverRole]:
    return list(ApproverRole.objects.filter(team=team).select_related("user"))
