"""Review and approval pages: a version's review page with its comments, the workflow steps,
new versions, the version history with diffs, the overdue list and the workspace."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.accounts.permissions import can, require, visible
from riskatlas.apps.assessments import gating, workflow
from riskatlas.apps.assessments.forms import CommentForm
from riskatlas.apps.assessments.interchange import export_version, read_version
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion, Status
from riskatlas.apps.assessments.workflow import WorkflowError
from riskatlas.apps.audit.views import admin_teams
from riskatlas.document import diff_documents
from riskatlas.document.diff import SINGULAR
from riskatlas.method.register import rate_risks, unexplained_reductions

# action in the URL -> (service, who may, statuses it applies to, button label)
STEPS: dict[str, tuple[Any, str, tuple[str, ...], str]] = {
    "submit": (workflow.submit_for_review, Role.ANALYST, (Status.DRAFT,), "Submit for review"),
    "approve": (workflow.approve, Role.REVIEWER, (Status.IN_REVIEW,), "Approve (freezes it)"),
    "approve-and-publish": (
        workflow.approve_and_publish,
        Role.REVIEWER,
        (Status.IN_REVIEW,),
        "Approve and publish",
    ),
    "return": (workflow.return_to_draft, Role.REVIEWER, (Status.IN_REVIEW,), "Return to draft"),
    "withdraw": (
        workflow.withdraw,
        Role.ANALYST,
        (Status.IN_REVIEW,),
        "Withdraw from review",
    ),
    "publish": (workflow.publish, Role.REVIEWER, (Status.APPROVED,), "Publish"),
}


def _assessment(request: HttpRequest, slug: str) -> Assessment:
    assessment = get_object_or_404(Assessment, slug=slug)
    require(request.user, assessment.team_id)
    return assessment


def _readable_version(
    request: HttpRequest, assessment: Assessment, number: int
) -> AssessmentVersion:
    version = get_object_or_404(AssessmentVersion, assessment=assessment, number=number)
    if version.status != Status.PUBLISHED:
        require(request.user, assessment.team_id, Role.ANALYST)
    return version


@login_required
def review(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    assessment = _assessment(request, slug)
    version = _readable_version(request, assessment, number)
    user, team = request.user, assessment.team_id
    steps = [
        (action, label)
        for action, (_, role, statuses, label) in STEPS.items()
        if version.status in statuses and can(user, team, role)
    ]
    if any(action == "return" for action, _ in steps):
        # Reviewers take a version back with "Return to draft", saying what should change.
        steps = [(action, label) for action, label in steps if action != "withdraw"]
    context = {
        "version": version,
        "statuses": Status.choices,
        "comments": version.review_comments.select_related("author"),
        "steps": steps,
        "can_comment": can(user, team, Role.ANALYST),
        "can_edit": can(user, team, Role.ANALYST) and not version.is_locked,
        "can_new_version": can(user, team, Role.ANALYST) and workflow.new_version_copies(version),
        "form": CommentForm(),
        # What a reviewer reads first: the changes since the version before this one.
        "previous": workflow.versions_for(user, assessment).filter(number__lt=number).last(),
        **_gates_ahead(version, user),
    }
    # A step the gates would refuse now is shown off, pointing at the reasons, not offered.
    gated = {Status.IN_REVIEW: {"approve", "approve-and-publish"}, Status.APPROVED: {"publish"}}
    context["refused_steps"] = (
        gated.get(Status(version.status), set()) if context.get("gate_reasons") else set()
    )
    return render(request, "assessments/workflow/review.html", context)


def _gates_ahead(version: AssessmentVersion, user: Any) -> dict[str, Any]:
    """For analysts and above: what the next gated step (approve, publish) would refuse now,
    so that it can be put right first. Four eyes only counts once the version is in review."""
    step = {Status.DRAFT: "approve", Status.IN_REVIEW: "approve", Status.APPROVED: "publish"}
    ahead = step.get(Status(version.status))
    if ahead is None or not can(user, version.assessment.team_id, Role.ANALYST):
        return {}
    reasons = gating.step_refusals(version, user, ahead)
    if version.status == Status.DRAFT or not can(user, version.assessment.team_id, Role.REVIEWER):
        # Four eyes is for the reviewer who would approve: not for a draft, nor for an analyst
        # (who approves nothing, and would read "another reviewer must approve it").
        reasons = [r for r in reasons if r != gating.SELF_APPROVAL]
    done = {"approve": "approved", "publish": "published"}[ahead]
    # Each reason leads to where it is put right, while the version can be edited; saving
    # there comes back here, to the reasons left.
    editable = not version.is_locked
    back = reverse("assessments:review", args=[version.assessment.slug, version.number])
    back += "#gate-reasons"
    reasons_at = [
        (r, gating.where_put_right(version, r, back=back) if editable else "") for r in reasons
    ]
    # Not a gate: a reduction the measures do not explain, for the reviewer to ask about.
    notes = unexplained_reductions(rate_risks(read_version(version)))
    return {"gate_reasons": reasons_at, "gate_step": done, "rating_notes": notes}


@login_required
def transition(request: HttpRequest, slug: str, number: int, action: str) -> HttpResponse:
    assessment = _assessment(request, slug)  # before the method check: 404 outside the team
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    version = get_object_or_404(AssessmentVersion, assessment=assessment, number=number)
    form = CommentForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    try:
        if action == "comment":
            workflow.add_comment(version, request.user, text)
            messages.success(request, "Comment added.")
        elif action in STEPS:
            step = STEPS[action][0]
            version = step(version, request.user, text)
            messages.success(
                request, f"Version {version.number} is now {version.get_status_display().lower()}."
            )
        else:
            raise Http404("no such step")
    except WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("assessments:review", slug=slug, number=version.number)


@login_required
def new_version(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = _assessment(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        created = workflow.new_version(assessment, request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        latest = assessment.latest_version()
        if latest is None:
            return redirect("assessments:history", slug=slug)
        return redirect("assessments:review", slug=slug, number=latest.number)
    messages.success(request, f"Made draft version {created.number}; edit it here.")
    return redirect("assessments:edit", slug=slug, number=created.number)


@login_required
@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = _assessment(request, slug)
    versions = list(
        workflow.versions_for(request.user, assessment).prefetch_related("review_comments")
    )
    old, new = request.GET.get("old", ""), request.GET.get("new", "")
    if old.isdigit() and new.isdigit():
        return redirect("assessments:diff", slug=slug, old=int(old), new=int(new))
    context = {
        "assessment": assessment,
        "versions": versions,
        "rows": list(zip(versions, [None, *versions], strict=False)),
        "latest": versions[-1] if versions else None,
        "previous": versions[-2] if len(versions) > 1 else None,
        "can_new_version": can(request.user, assessment.team_id, Role.ANALYST)
        and workflow.open_version(assessment) is None
        and any(v.is_frozen for v in versions),
    }
    return render(request, "assessments/workflow/history.html", context)


@login_required
@require_safe
def diff(request: HttpRequest, slug: str, old: int, new: int) -> HttpResponse:
    assessment = _assessment(request, slug)
    before = _readable_version(request, assessment, old)
    after = _readable_version(request, assessment, new)
    # The version number and status are in the page's heading; list the content's changes.
    changes = [
        c
        for c in diff_documents(export_version(before), export_version(after))
        if not (c.section == "assessment" and c.field in ("version", "status"))
    ]
    sections: OrderedDict[str, list[str]] = OrderedDict()
    for change in changes:
        title = SINGULAR.get(change.section, change.section).capitalize()
        sections.setdefault(title, []).append(change.sentence)
    context = {
        "assessment": assessment,
        "before": before,
        "after": after,
        "sections": sections,
        "count": len(changes),
        "versions": workflow.versions_for(request.user, assessment),
    }
    return render(request, "assessments/workflow/diff.html", context)


@login_required
@require_safe
def overdue(request: HttpRequest) -> HttpResponse:
    versions = workflow.overdue_versions(request.user)
    return render(request, "assessments/workflow/overdue.html", {"versions": versions})


@login_required
@require_safe
def workspace(request: HttpRequest) -> HttpResponse:
    """Each of the user's assessments with its newest version and what can be done next."""
    rows = []
    waiting = []
    for assessment in visible(Assessment.objects.all(), request.user).select_related("team"):
        team = assessment.team_id
        versions = list(workflow.versions_for(request.user, assessment))
        if not versions:
            continue
        latest = versions[-1]
        rows.append(
            {
                "assessment": assessment,
                "latest": latest,
                "can_edit": can(request.user, team, Role.ANALYST) and not latest.is_locked,
                "is_admin": can(request.user, team, Role.ADMIN),
            }
        )
        if latest.status == Status.IN_REVIEW and can(request.user, team, Role.REVIEWER):
            waiting.append(latest)
    context = {
        "rows": rows,
        "waiting": waiting,
        "overdue": workflow.overdue_versions(request.user),
        "is_any_admin": bool(admin_teams(request.user)),
    }
    return render(request, "assessments/workflow/workspace.html", context)
