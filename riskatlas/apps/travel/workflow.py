"""A trip's approval: request → the approvals the policy asks for, in its order → approved,
approved with conditions, or refused; each step with a reason, and reopened when what the
decision rests on changes.

Four eyes: a step is signed only by a member of the trip's team who holds that approver role,
who did not request the trip and does not travel on it. Every row written here is recorded in
the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from riskatlas.apps.accounts.permissions import role_in
from riskatlas.apps.audit.context import acting_as, current_actor
from riskatlas.apps.travel import deciding, telling
from riskatlas.apps.travel.models import Approval, ApproverRole, Trip
from riskatlas.geography import area_label
from riskatlas.travel.policy import reasons_in_words

Status = Trip.Status
Decision = Approval.Decision
OPEN = (Status.REQUESTED, *Trip.DECIDED)  # a check is held and may go out of date


class TripWorkflowError(Exception):
    """A step the trip's state, or the user, does not allow; the message says why."""


def _approval_reason(entry: dict[str, Any]) -> str:
    reasons = entry.get("reasons")
    if reasons is None:
        reasons = [entry.get("reason", "")]
    return reasons_in_words(reasons)


def current_approvals(trip: Trip) -> list[Approval]:
    return list(trip.approvals.filter(superseded=False).order_by("step"))


def next_step(trip: Trip) -> Approval | None:
    """The first approval still to be signed (None when all are, or none is asked)."""
    if trip.status != Status.REQUESTED:
        return None
    return trip.approvals.filter(superseded=False, decision="").order_by("step").first()


def travels_on(user: Any, trip: Trip) -> bool:
    return trip.travellers.filter(user=user).exists() if user.is_authenticated else False


def roles_held(user: Any, team: Any) -> set[str]:
    """The approver roles the user holds in the team."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(ApproverRole.objects.filter(team=team, user=user).values_list("role", flat=True))


def why_not_sign(user: Any, trip: Trip, step: Approval | None = None) -> str:
    """Why the user may not sign the trip's next step ("" when they may)."""
    step = step or next_step(trip)
    if step is None:
        return "nothing is waiting for approval"
    if role_in(user, trip.team_id) is None:
        return "only members of the trip's team approve its trips"
    if step.role not in roles_held(user, trip.team):
        return (
            f"the next approval is by the {step.role_name or step.role}: you do not hold that role"
        )
    if trip.requested_by_id is not None and trip.requested_by_id == user.pk:
        return "you requested this trip: someone else approves it (four eyes)"
    if travels_on(user, trip):
        return "you travel on this trip: someone else approves it (four eyes)"
    return ""


def _store_check(trip: Trip, today: dt.date | None) -> dict[str, Any]:
    result = deciding.check(trip, today).as_dict()
    trip.check_result = result
    trip.fingerprint = result["fingerprint"]
    return result


def request(trip: Trip, user: Any, today: dt.date | None = None) -> Trip:
    """Ask for approval: the trip is checked now, and the approvals the policy asks for are
    laid out in its order. When it asks for none, the trip is approved at once."""
    if trip.status not in (Status.DRAFT, Status.REOPENED, Status.REFUSED):
        raise TripWorkflowError(
            f"a trip that is {trip.get_status_display().lower()} cannot be requested"
        )
    if not deciding.has_itinerary(trip):
        raise TripWorkflowError("give the trip at least one traveller and one segment first")
    with transaction.atomic(), _as(user):
        result = _store_check(trip, today)
        for old in trip.approvals.filter(superseded=False):
            old.superseded = True
            old.save(update_fields=["superseded"])
        for step, entry in enumerate(result["approvals"], start=1):
            Approval.objects.create(
                trip=trip,
                step=step,
                role=entry["role"],
                role_name=entry.get("name", ""),
                why=_approval_reason(entry),
            )
        now = timezone.now()
        trip.requested_by, trip.requested_at = user, now
        trip.conditions = trip.reason = trip.reopened_because = ""
        trip.decided_by, trip.decided_at = None, None
        if result["approvals"]:
            trip.status = Status.REQUESTED
        else:
            trip.status = Status.APPROVED
            trip.reason = "The travel policy asks no approval for this itinerary."
            trip.decided_at = now
        trip.updated_at = now
        trip.save()
        telling.tell_next_approvers(trip, next_step(trip), why_not_sign)
    return trip


def decide(
    trip: Trip,
    user: Any,
    decision: str,
    reason: str,
    conditions: str = "",
    today: dt.date | None = None,
) -> Trip:
    """Sign the trip's next approval step. A refusal decides the trip; the last approval
    approves it (with the conditions any step set). The trip is checked again first: when the
    itinerary or a level changed since the request, it is reopened instead."""
    if decision not in Decision.values:
        raise TripWorkflowError(f"{decision!r} is not a decision: {', '.join(Decision.values)}")
    reason = reason.strip()
    conditions = conditions.strip()
    if not reason:
        raise TripWorkflowError("give the reason for the decision")
    if decision == Decision.APPROVE_WITH_CONDITIONS and not conditions:
        raise TripWorkflowError("write the conditions of the approval")
    step = next_step(trip)
    why = why_not_sign(user, trip, step)
    if why:
        raise TripWorkflowError(why)
    assert step is not None
    if reopen_if_changed(trip, today):
        raise TripWorkflowError(
            f"the trip changed since it was requested ({trip.reopened_because}); "
            "it is reopened and must be requested again"
        )
    with transaction.atomic(), _as(user):
        now = timezone.now()
        step.user, step.decision, step.reason, step.at = user, decision, reason, now
        step.conditions = conditions if decision == Decision.APPROVE_WITH_CONDITIONS else ""
        step.save()
        telling.settle(trip, step)
        if decision == Decision.REFUSE:
            _close(trip, Status.REFUSED, user, reason, now)
        elif next_step(trip) is None:
            signed = current_approvals(trip)
            all_conditions = "\n".join(a.conditions for a in signed if a.conditions)
            status = Status.APPROVED_WITH_CONDITIONS if all_conditions else Status.APPROVED
            trip.conditions = all_conditions
            _close(trip, status, user, reason, now)
        telling.tell_next_approvers(trip, next_step(trip), why_not_sign)
        telling.tell_requester(trip, user)
    return trip


def _as(user: Any) -> Any:
    """The audit log names the user who requested or signed, however it was called."""
    return acting_as(user, current_actor().via)


def _close(trip: Trip, status: str, user: Any, reason: str, now: dt.datetime) -> None:
    trip.status = status
    trip.decided_by, trip.decided_at, trip.reason = user, now, reason
    trip.updated_at = now
    trip.save()


def cancel(trip: Trip, user: Any) -> Trip:
    if trip.status == Status.CANCELLED:
        raise TripWorkflowError("the trip is already cancelled")
    with transaction.atomic(), _as(user):
        trip.status = Status.CANCELLED
        trip.updated_at = timezone.now()
        trip.save()
        for step in trip.approvals.filter(superseded=False, decision=""):
            step.superseded = True
            step.save(update_fields=["superseded"])
        telling.settle_all(trip)
        if trip.requested_at is not None:  # a draft never requested concerns no one else
            telling.tell_cancelled(trip, user)
    return trip


def delete(trip: Trip, user: Any) -> None:
    """Delete a draft trip (with its segments); a trip ever requested is cancelled instead,
    so that its record stays."""
    with transaction.atomic(), _as(user):
        locked = Trip.objects.select_for_update().get(pk=trip.pk)
        if locked.status != Status.DRAFT:
            raise TripWorkflowError(
                f"a trip that is {locked.get_status_display().lower()} is not deleted: cancel it"
            )
        locked.delete()


def what_changed(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """In words, what differs between the check a decision rests on and a fresh one."""
    if not old:
        return "the trip was not checked before"

    def itinerary(check: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            (
                s.get("place"),
                s.get("area"),
                s.get("start"),
                s.get("end"),
                s.get("transport"),
                s.get("night_travel"),
                tuple(s.get("via") or []),
            )
            for s in check.get("segments", [])
        ]

    def levels(check: dict[str, Any]) -> dict[str, tuple[str, Any]]:
        return {
            a["code"]: (a.get("name") or "", a.get("level"))
            for s in check.get("segments", [])
            for a in s.get("areas", [])
        }

    said = []
    if itinerary(old) != itinerary(new):
        said.append("the itinerary changed")
    before, after = levels(old), levels(new)
    for code, (name, level) in after.items():
        was = before.get(code, (name, None))[1]
        if code in before and was != level:
            said.append(f"{area_label(name, code)}: level {was or 'none'} → {level or 'none'}")
    said += _head_changes(old.get("trip") or {}, new.get("trip") or {})
    before_people = {t.get("id"): t for t in old.get("travellers", [])}
    after_people = {t.get("id"): t for t in new.get("travellers", [])}
    if list(before_people) != list(after_people):
        said.append("the travellers changed")
    else:  # the same people: whose profile (experience, training, staff…) changed
        said += [
            f"{t.get('name') or key}'s profile changed"
            for key, t in after_people.items()
            if before_people[key] != t
        ]
    return "; ".join(said) or "the policy or an assessment behind the decision changed"


def _head_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What the trip's own details that a decision rests on changed to, in words."""
    said = [
        words
        for key, words in (
            ("title", "the trip's title changed"),
            ("purpose", "the trip's purpose changed"),
        )
        if (old.get(key) or "") != (new.get(key) or "")
    ]
    if bool(old.get("essential")) != bool(new.get("essential")):
        said.append(
            "the trip is now marked essential"
            if new.get("essential")
            else "the trip is no longer marked essential"
        )
    return said


def reopen_if_changed(trip: Trip, today: dt.date | None = None) -> bool:
    """Check a requested or decided trip again; when the fingerprint differs from the one its
    decision rests on, reopen it (its approvals set aside, the reason kept). True if reopened.
    Called after every itinerary edit, policy change and publication."""
    if trip.status not in OPEN or not deciding.has_itinerary(trip):
        return False
    fresh = deciding.check(trip, today).as_dict()
    if fresh["fingerprint"] == trip.fingerprint:
        return False
    with transaction.atomic():
        because = what_changed(trip.check_result, fresh)
        for step in trip.approvals.filter(superseded=False):
            step.superseded = True
            step.save(update_fields=["superseded"])
        trip.status = Status.REOPENED
        trip.reopened_because = because  # the check the decision rested on is kept
        trip.updated_at = timezone.now()
        trip.save()
        telling.settle_all(trip)
    return True


def reopen_changed_trips(team: Any, today: dt.date | None = None) -> list[Trip]:
    """Every open trip of the team whose decision no longer holds, reopened (after a
    publication or a policy change)."""
    today = today or timezone.localdate()
    reopened = []
    for trip in Trip.objects.filter(team=team, status__in=OPEN).select_related("team"):
        end = trip.end
        if end is not None and end < today:
            continue  # over: nothing left to decide
        if reopen_if_changed(trip, today):
            reopened.append(trip)
    return reopened
