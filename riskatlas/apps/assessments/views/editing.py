"""Editing a version: its metadata and every kind of part, for analysts and above.

Only draft versions can be edited. A version in review is locked and an approved or published
one frozen: the pages say so (409) with the way out (withdraw or return it to draft; make a
new version).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.accounts.permissions import can
from riskatlas.apps.assessments import gating, workflow, writer
from riskatlas.apps.assessments.citations import asked, file_quote, reused_message, source_named
from riskatlas.apps.assessments.deleting import references_to
from riskatlas.apps.assessments.forms import PART_KINDS, MetadataForm, PartKind, RiskForm
from riskatlas.apps.assessments.forms.refusals import show_clash, show_refusal
from riskatlas.apps.assessments.forms.risks import (
    BLOCK_PREFIX,
    rating_warnings,
    scores_from,
    suggested_measures,
    unprefixed,
)
from riskatlas.apps.assessments.interchange import read_version
from riskatlas.apps.assessments.models import (
    Assessment,
    AssessmentVersion,
    FrozenVersionError,
    Mitigation,
    Risk,
)
from riskatlas.apps.assessments.revisions import EditedMeanwhile
from riskatlas.apps.assessments.views.came_from import came_from
from riskatlas.apps.assessments.workflow import require_role
from riskatlas.apps.intelligence.forms import CiteSourceForm
from riskatlas.extraction.categories import score_categories
from riskatlas.method.matrix import Matrix
from riskatlas.method.mitigations import find_mitigation, search_mitigations
from riskatlas.method.register import rate_risks
from riskatlas.method.scoring import RiskScores
from riskatlas.method.taxonomy import default_taxonomy

View = Callable[..., HttpResponse]


def analyst_version(request: HttpRequest, slug: str, number: int) -> AssessmentVersion:
    """The version ``slug``/``number`` for an analyst of its team: 404 outside the team or
    when there is no such version, 403 for readers."""
    assessment = get_object_or_404(Assessment, slug=slug)
    require_role(request.user, assessment.team_id, Role.ANALYST)
    return get_object_or_404(AssessmentVersion, assessment=assessment, number=number)


def editable(view: View) -> View:
    """Resolve ``slug``/``number`` into a version the user may edit, or refuse: 404 outside
    the team, 403 for readers, 409 with an explanation for a version in review or frozen."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, number: int, **kwargs: Any) -> HttpResponse:
        version = analyst_version(request, slug, number)
        if version.is_locked:
            return frozen(request, version)
        try:
            return view(request, version, **kwargs)
        except FrozenVersionError:  # submitted or approved while the form was open
            version.refresh_from_db()
            return frozen(request, version)

    return wrapper


def frozen(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    """409: the version is in review (with the way back to draft for the user's role) or
    frozen (with the way to a new version)."""
    team = version.assessment.team_id
    context = {
        "version": version,
        "can_return": can(request.user, team, Role.REVIEWER),
        "can_withdraw": can(request.user, team, Role.ANALYST),
    }
    return render(request, "assessments/edit/frozen.html", context, status=409)


def _kind(slug: str) -> PartKind:
    kind = PART_KINDS.get(slug)
    if kind is None:
        raise Http404("no such part of an assessment")
    return kind


def _urls(version: AssessmentVersion) -> dict[str, Any]:
    return {"slug": version.assessment.slug, "number": version.number}


def _context(version: AssessmentVersion, **extra: Any) -> dict[str, Any]:
    return {"version": version, "kinds": PART_KINDS.values(), **extra}


@editable
def overview(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    sections = [
        (kind, kind.model.objects.filter(version=version).count()) for kind in PART_KINDS.values()
    ]
    return render(request, "assessments/edit/overview.html", _context(version, sections=sections))


@editable
def metadata(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    form = MetadataForm(request.POST or None, instance=version)
    clash: list[tuple[str, str, str, bool]] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            writer.save_details(version, form.save, seen=form.seen())
        except writer.ChangeRefused as refused:
            show_refusal(form, refused)
        except EditedMeanwhile as meanwhile:
            clash = show_clash(form, meanwhile)
        else:
            messages.success(request, "Saved the assessment's details.")
            if request.POST.get("then") == "submit":  # one click for the last step of a draft
                return _submitted(request, version)
            return redirect(came_from(request) or edit_url(version))
    context = _context(version, form=form, on_metadata=True, clash=clash, back=came_from(request))
    return render(
        request, "assessments/edit/metadata.html", context, status=409 if clash is not None else 200
    )


def _submitted(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    """Submit the draft just saved for review (as the review page's button does), then show
    the review page with what happened."""
    try:
        moved = workflow.submit_for_review(version, request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        status = moved.get_status_display().lower()
        messages.success(request, f"Version {moved.number} is now {status}.")
    return redirect("assessments:review", **_urls(version))


def register_numbers(version: AssessmentVersion) -> dict[str, int]:
    """Each risk's number in the register by its id: R1 the worst, as the assessment page and
    the report number them (``method.register.rate_risks``)."""
    return {risk.id: risk.number for risk in rate_risks(read_version(version))}


@editable
def part_list(request: HttpRequest, version: AssessmentVersion, kind: str) -> HttpResponse:
    part_kind = _kind(kind)
    rows = []
    matrix = Matrix.from_dict(version.matrix) if kind == "risks" else None
    numbers = register_numbers(version) if matrix else {}
    # Context sections still holding the guidance a new assessment starts with: left to write.
    to_write = gating.still_guidance(version) if kind == "context" else set()
    for part in part_kind.model.objects.filter(version=version):
        cells = []
        for attr, _ in part_kind.columns:
            value = getattr(part, attr)
            cells.append(value() if callable(value) else value)
        # Risks show their register number and their inherent and residual levels, in the
        # register's order (as on the assessment page and in the report).
        levels = (part.inherent_level(matrix), part.residual_level(matrix)) if matrix else None
        number = numbers.get(part.key) if matrix else None
        rows.append((part, cells, levels, number, part.pk in to_write))
    if matrix is not None:
        rows.sort(key=lambda row: row[3] or 0)
    context = _context(version, kind=part_kind, rows=rows, to_write=len(to_write))
    return render(request, "assessments/edit/list.html", context)


def _risk_panel(matrix: Matrix, scores: RiskScores | None) -> dict[str, Any]:
    """What the matrix partial draws: the grid with markers, the levels, the warnings."""
    marks: dict[tuple[int, int], list[str]] = {}
    if scores is not None:
        for letter, rating in (
            ("I", scores.inherent),
            ("C", scores.current),
            ("R", scores.residual),
        ):
            if rating is not None:
                marks.setdefault((rating.likelihood, rating.impact), []).append(letter)
    rows = [
        (
            impact,
            [
                (
                    likelihood,
                    matrix.level(likelihood, impact),
                    "".join(marks.get((likelihood, impact), [])),
                )
                for likelihood in matrix.likelihood_values
            ],
        )
        for impact in reversed(matrix.impact_values)
    ]
    return {
        "matrix": matrix,
        "grid_rows": rows,
        "scores": scores,
        "warnings": rating_warnings(scores) if scores else [],
    }


@editable
@require_http_methods(["GET", "POST"])
def part_edit(
    request: HttpRequest, version: AssessmentVersion, kind: str, pk: int | None = None
) -> HttpResponse:
    part_kind = _kind(kind)
    instance = None
    if pk is not None:
        instance = get_object_or_404(part_kind.model, pk=pk, version=version)
    if part_kind.form is RiskForm:
        return _risk_edit(request, version, part_kind, instance)
    form = part_kind.form(request.POST or None, instance=instance, version=version)
    clash: list[tuple[str, str, str, bool]] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            part = writer.save_part(version, form.save, seen=form.seen())
        except writer.ChangeRefused as refused:
            show_refusal(form, refused, new=instance is None)
        except EditedMeanwhile as meanwhile:
            clash = show_clash(form, meanwhile)
        else:
            messages.success(request, f"Saved {part_kind.singular} “{part}”.")
            back = came_from(request)  # the review page whose reason led here, say
            return redirect(
                back or reverse("assessments:edit_parts", kwargs=_urls(version) | {"kind": kind})
            )
    context = _context(
        version, kind=part_kind, form=form, part=instance, clash=clash, back=came_from(request)
    )
    return render(
        request, "assessments/edit/form.html", context, status=409 if clash is not None else 200
    )


def _risk_edit(
    request: HttpRequest, version: AssessmentVersion, part_kind: PartKind, instance: Any
) -> HttpResponse:
    """The risk form, with a source cited on the risk in the same change when any of the
    citation is filled in (all of it is checked then, and nothing is saved while it is not
    right)."""
    form = RiskForm(request.POST or None, instance=instance, version=version)
    cite = CiteSourceForm(request.POST or None, version=version, prefix="cite")
    citing = request.method == "POST" and asked(cite)
    if not citing:  # the citation is optional: its fields are not marked as required
        for field in cite.fields.values():
            field.required = False
    clash: list[tuple[str, str, str, bool]] | None = None
    if request.method == "POST" and form.is_valid() and (not citing or cite.is_valid()):
        warnings = form.warnings()
        source, reused = source_named(version, cite.cleaned_data) if citing else (None, False)

        def write() -> list[Any]:
            risk = form.save()
            if not citing:
                return [risk]
            return [risk, file_quote(version, risk, cite.cleaned_data, source)]

        try:
            made = writer.change(version, write, parts=lambda made: made, seen=form.seen())
        except writer.ChangeRefused as refused:
            show_refusal(form, refused, new=instance is None)
        except EditedMeanwhile as meanwhile:
            clash = show_clash(form, meanwhile)
        else:
            messages.success(request, f"Saved risk “{made[0]}”.")
            if citing:
                if reused:
                    messages.info(request, reused_message(made[1]))
                messages.success(request, f"Cited “{made[1].title}” on it.")
            for warning in warnings:
                messages.warning(request, warning)
            if request.POST.get("then") == "another":
                return redirect("assessments:edit_part_new", **_urls(version), kind="risks")
            if request.POST.get("then") == "summary":  # the risks written: summary and submit
                return redirect("assessments:edit_metadata", **_urls(version))
            if came_from(request):  # the review page whose reason led here, say
                return redirect(came_from(request))
            return redirect("assessments:edit_part", **_urls(version), kind="risks", pk=made[0].pk)
    if request.method == "POST" and not citing:  # nothing of it typed: nothing to correct
        cite = CiteSourceForm(version=version, prefix="cite")
    context = _context(version, kind=part_kind, form=form, part=instance, clash=clash, cite=cite)
    context["back"] = came_from(request)
    context["number"] = register_numbers(version).get(instance.key) if instance else None
    context.update(_risk_panel(form.matrix, form.scores()))
    context["measures"] = _risk_measures(version, instance) if instance else []
    context["suggestions"] = _suggestions(request.POST if form.is_bound else None, instance)
    context["evidence"] = _evidence_of("risk", instance)
    return render(
        request,
        "assessments/edit/risk_form.html",
        context,
        status=409 if clash is not None else 200,
    )


def _evidence_of(kind: str, part: Any) -> list[Any]:
    """The graded evidence filed under a part (quotes from reports read, open data accepted,
    the interchange file's own), to show beside it while editing."""
    from riskatlas.apps.intelligence.models import Evidence

    if part is None:
        return []
    return list(
        Evidence.objects.filter(
            version_id=part.version_id, subject_kind=kind, subject_id=part.pk
        ).select_related("source")
    )


@editable
@require_GET
def risk_levels(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    """The matrix and levels for the ratings in the query string (the risk form's live panel)."""
    matrix = Matrix.from_dict(version.matrix)
    data = unprefixed(request.GET, request.GET.get("prefix", ""))  # a block of several
    context = _risk_panel(matrix, scores_from(matrix, data))
    return render(request, "assessments/edit/_levels.html", context)


@editable
@require_GET
def risk_threat(request: HttpRequest, version: AssessmentVersion) -> JsonResponse:
    """The threat a risk's title names, by the cues used to read reports (the new-risk form
    proposes it until the analyst chooses): ``{"category": "KID", "name": "Kidnap"}``, or an
    empty category when the title names none."""
    title = request.GET.get("title", "")[:300]
    scores = score_categories(title, threshold=0.5)
    taxonomy = default_taxonomy()
    best = max(scores, key=lambda s: s.score, default=None)
    if best is None or best.code not in taxonomy:
        return JsonResponse({"category": "", "name": ""})
    return JsonResponse({"category": best.code, "name": taxonomy.name(best.code)})


@editable
@require_GET
def risk_measure_choices(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    """The library's measures offered on the risk form for the threat chosen (redrawn when it
    changes), those ticked kept ticked."""
    risk = Risk.objects.filter(version=version, pk=_int_or_none(request.GET.get("risk"))).first()
    prefix = request.GET.get("prefix", "")
    prefix = prefix if BLOCK_PREFIX.match(prefix) else ""  # a block of several on one page
    context = {
        "suggestions": _suggestions(unprefixed(request.GET, prefix), risk),
        "prefix": prefix,
    }
    return render(request, "assessments/edit/_measure_choices.html", context)


def _int_or_none(value: Any) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _suggestions(data: Any, risk: Risk | None) -> list[tuple[str, str, bool]]:
    """The measures the risk form offers, from its data (submitted, or the stored risk's)."""
    category = data.get("category") if data is not None else getattr(risk, "category", "")
    text = (
        f"{data.get('title', '')} {data.get('rationale', '')}"
        if data is not None
        else f"{getattr(risk, 'title', '')} {getattr(risk, 'rationale', '')}"
    )
    ticked = data.getlist("add_measures") if data is not None else []
    applied = list(risk.measures) if risk is not None else []
    return suggested_measures(category or "", text, applied, ticked)


# --- deleting, with a check that nothing else refers to the part -------------------------


@editable
@require_http_methods(["GET", "POST"])
def part_delete(
    request: HttpRequest, version: AssessmentVersion, kind: str, pk: int
) -> HttpResponse:
    part_kind = _kind(kind)
    part = get_object_or_404(part_kind.model, pk=pk, version=version)
    if request.method == "POST":
        name = str(part)
        references = writer.remove_part(part, part_kind.evidence_kind)
        if not references:
            messages.success(request, f"Deleted {part_kind.singular} “{name}”.")
            return redirect("assessments:edit_parts", **_urls(version), kind=kind)
    else:
        references = references_to(part)
    context = _context(version, kind=part_kind, part=part, references=references)
    return render(
        request,
        "assessments/edit/delete.html",
        context,
        status=409 if references and request.method == "POST" else 200,
    )


# --- measures of a risk: the version's mitigations and the library ------------------------


def _risk_measures(version: AssessmentVersion, risk: Risk) -> list[dict[str, str]]:
    own = {m.code: m for m in Mitigation.objects.filter(version=version)}
    out = []
    for code in risk.measures:
        found: Any = own.get(code) or find_mitigation(code)
        out.append({"code": code, "name": found.name if found else "(not described)"})
    return out


@editable
@require_http_methods(["GET", "POST"])
def risk_measures(request: HttpRequest, version: AssessmentVersion, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk, version=version)
    if request.method == "POST":
        code = request.POST.get("code", "")
        action = request.POST.get("action", "")
        if action == "apply" and code not in risk.measures:
            if writer.knows_measure(version, code):
                risk.measures = [*risk.measures, code]
                writer.save_part(version, _saved(risk))
                messages.success(request, f"Applied {code} to “{risk.title}”.")
            else:
                messages.error(request, f"There is no measure “{code}”.")
        elif action == "remove" and code in risk.measures:
            risk.measures = [c for c in risk.measures if c != code]
            writer.save_part(version, _saved(risk))
            messages.success(request, f"Removed {code} from “{risk.title}”.")
        return redirect(request.get_full_path())
    query = request.GET.get("q", "").strip()
    this_threat = request.GET.get("all") != "1"
    own = list(Mitigation.objects.filter(version=version))
    own_codes = {m.code for m in own}
    library = [
        m
        for m in search_mitigations(query, risk.category if this_threat else None)
        if m.code not in own_codes
    ]
    context = _context(
        version,
        kind=PART_KINDS["risks"],
        risk=risk,
        measures=_risk_measures(version, risk),
        own=[
            m
            for m in own
            if not query or query.lower() in f"{m.code} {m.name} {m.description}".lower()
        ],
        library=library,
        query=query,
        this_threat=this_threat,
        threat=default_taxonomy().name(risk.category)
        if risk.category in default_taxonomy()
        else risk.category,
    )
    return render(request, "assessments/edit/measures.html", context)


def _saved(part: Any) -> Callable[[], Any]:
    def write() -> Any:
        part.save()
        return part

    return write


def edit_url(version: AssessmentVersion) -> str:
    return reverse("assessments:edit", kwargs=_urls(version))
