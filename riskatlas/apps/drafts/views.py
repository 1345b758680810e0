"""Reading reports into a version and reviewing what they propose (analysts and above on a
draft version: readers get 403, other teams 404, versions in review or frozen 409)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.assessments.views.editing import analyst_version, editable
from riskatlas.apps.drafts import services
from riskatlas.apps.drafts.accepting import area_held
from riskatlas.apps.drafts.background import start_reading, stopped_if_stale
from riskatlas.apps.drafts.forms import ReadReportForm
from riskatlas.apps.drafts.highlight import Span, highlighted_html
from riskatlas.apps.drafts.links import review_url
from riskatlas.apps.drafts.models import DraftItem, Reading, SourceDocument
from riskatlas.apps.drafts.services import UNDER_RISK
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.method import default_taxonomy


def viewable(view: Any) -> Any:
    """Like ``editable`` (analysts of the team; 404 outside it, 403 for readers) but a version
    in review or frozen is shown read-only, so that reviewers can see where accepted items
    came from: the view gets ``read_only``."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, number: int, **kwargs: Any) -> HttpResponse:
        version = analyst_version(request, slug, number)
        return view(request, version, read_only=version.is_locked, **kwargs)

    return wrapper


def _target_label(item: DraftItem) -> str:
    """What an accepted item became, by name ("risk “Street crime in Lima”")."""
    if not item.target_kind or not item.target_id:
        return ""
    model = next(
        (m for m in django_apps.get_models() if m._meta.model_name == item.target_kind), None
    )
    found = model._default_manager.filter(pk=item.target_id).first() if model else None
    name = model._meta.verbose_name if model else item.target_kind
    return f"{name} “{found}”" if found is not None else f"{name} (since deleted)"


@viewable
def document_list(
    request: HttpRequest, version: AssessmentVersion, read_only: bool = False
) -> HttpResponse:
    documents = []
    for document in SourceDocument.objects.filter(version=version):
        statuses = list(document.items.values_list("status", flat=True))
        documents.append((document, len(statuses), statuses.count(DraftItem.Status.PROPOSED)))
    return render(
        request,
        "drafts/list.html",
        {"version": version, "documents": documents, "read_only": read_only},
    )


@editable
def read_report(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    form = ReadReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reading = start_reading(
            version, data["title"], request.user, upload=data.get("file"), text=data["text"]
        )
        return redirect(reading_url(reading))
    context = {"version": version, "form": form, "country": _read_for(version)}
    return render(request, "drafts/read.html", context)


def _read_for(version: AssessmentVersion) -> str:
    """The name of the country a report is read for (the assessment's), "" when none."""
    from riskatlas.evidence.areas import area_name

    code = services.reading_country(version)
    return area_name(code) if code else ""


@login_required
def reading_state(request: HttpRequest, slug: str, number: int, pk: int) -> HttpResponse:
    """Where a report being read stands: this page (polled every second while it runs) goes on
    to the review page once the items are ready, or says why the report could not be read."""
    version = analyst_version(request, slug, number)
    reading = stopped_if_stale(get_object_or_404(Reading, pk=pk, version=version))
    if reading.state == Reading.State.DONE and reading.document is not None:
        document = reading.document
        if reading.message == "already read":
            messages.warning(
                request,
                f"This text was read into version {version.number} before, as “{document.title}” "
                f"on {document.created_at:%Y-%m-%d %H:%M}: nothing was added.",
            )
        else:
            total = sum(services.counts(document).values())
            messages.success(request, f"Read “{document.title}”: {_n(total, 'item')} to review.")
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Redirect": review_url(document)})
        return redirect(review_url(document))
    context = {"version": version, "reading": reading, "form": ReadReportForm()}
    partial = bool(request.headers.get("HX-Request"))
    return render(request, "drafts/_reading.html" if partial else "drafts/reading.html", context)


def reading_url(reading: Reading) -> str:
    version = reading.version
    return reverse("drafts:reading", args=[version.assessment.slug, version.number, reading.pk])


#: A threat sentence's category whose cue score (noisy-or of cue weights) is below this is
#: shown as "possibly".
STRONG_CUES = 0.8
#: Items listed per page of the review page (a long report gives thousands); the highlighted
#: text is always whole.
ITEMS_PER_PAGE = 100


def _without_page(query: QueryDict) -> str:
    """The query string without ``page`` (for the page links to add their own)."""
    rest = query.copy()
    rest.pop("page", None)
    return rest.urlencode()


def _summary(item: DraftItem) -> str:
    p = item.payload
    kind = item.kind
    if kind == "category":
        names = default_taxonomy()
        # Strongest first; a category that rests on weak cues alone reads "possibly".
        return ", ".join(
            ("" if c["score"] >= STRONG_CUES else "possibly ")
            + f"{names.name(c['code']).lower()} ({c['code']})"
            for c in p.get("categories", [])
        )
    if kind == "place":
        where = p.get("iso_3166") or "no ISO code"
        return f"{p['name']} ({p.get('kind', 'place')}, {where})"
    if kind == "actor":
        figures = "; ".join(f["text"] for f in p.get("figures", []))
        aliases = f" ({', '.join(p['aliases'])})" if p.get("aliases") else ""
        return f"{p['name']}{aliases}, {p.get('type', '')}" + (f"; {figures}" if figures else "")
    if kind == "incident":
        when = p.get("when", {})
        where = ", ".join(  # each area once: "near Damboa, Borno" is NG-BO twice
            dict.fromkeys(
                w.get("iso_3166") or f"{w.get('name') or w.get('text')} (no ISO code)"
                for w in p.get("where", [])
            )
        )
        return (
            f"{when.get('date')} ({when.get('precision')}); {', '.join(p.get('what', []))}; "
            f"{', '.join(p.get('categories', []))}" + (f"; {where}" if where else "")
        )
    if kind == "trend":
        return f"{p['trend']} ({', '.join(p.get('categories', [])) or 'no category'})"
    if kind == "likelihood":
        return f"likelihood {p['likelihood']} of 5 (“{p.get('text', '')}”)"
    if kind == "recommendation":
        measure = p.get("mitigation") or {}
        return f"{p.get('kind')}" + (
            f"; library measure {measure['code']}: {measure['name']}" if measure else ""
        )
    if kind == "advice":
        places = ", ".join(str(w["name"]) for w in p.get("places", [])) or (
            "the whole country" if p.get("countries") else "no place named (summary only)"
        )
        who = p.get("government") or "government not recognised (filed as other)"
        return f"{who}: level {p['level']} of 4, “{p['text']}” — {places}"
    return f"credibility {p['credibility']}: {p.get('credibility_name', '')}"


def _shown(items: list[DraftItem], query: QueryDict) -> list[DraftItem]:
    """The items the review page lists for its query: narrowed to one kind (``kind``) and to
    those still to decide (``status=proposed``)."""
    kind = query.get("kind", "")
    only_proposed = query.get("status") == "proposed"
    return [
        i
        for i in items
        if (not kind or i.kind == kind)
        and (not only_proposed or i.status == DraftItem.Status.PROPOSED)
    ]


@viewable
def review(
    request: HttpRequest, version: AssessmentVersion, document: int, read_only: bool = False
) -> HttpResponse:
    doc = get_object_or_404(SourceDocument, version=version, pk=document)
    items = list(doc.items.all())
    risks = list(Risk.objects.filter(version=version).select_related("area"))
    kind = request.GET.get("kind", "")
    only_proposed = request.GET.get("status") == "proposed"
    page = Paginator(_shown(items, request.GET), ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    areas = list(AssessmentArea.objects.filter(version=version))
    rows: list[dict[str, Any]] = []
    for item in shown:
        matched = services.matching_risks(item, risks) if item.kind in UNDER_RISK else []
        choices = (matched or risks) if item.kind in UNDER_RISK else []
        rows.append(
            {
                "item": item,
                "summary": _summary(item),
                "risks": choices,
                "suggested": bool(matched),
                "became": _target_label(item),
                "area_held": area_held(areas, item.payload) if item.kind == "place" else None,
            }
        )
    to_decide = [i for i in shown if i.status == DraftItem.Status.PROPOSED]
    spans = [Span(i.pk, i.kind, i.start, i.end, i.status) for i in items]
    context = {
        "version": version,
        "document": doc,
        "rows": rows,
        "text_html": mark_safe(highlighted_html(doc.text, spans)),  # escaped piece by piece
        "counts": services.counts(doc),
        "kind_labels": dict(DraftItem.Kind.choices),
        "proposed": sum(1 for i in items if i.status == DraftItem.Status.PROPOSED),
        "kind": kind,
        "only_proposed": only_proposed,
        "query": request.GET.urlencode(),
        "page": page,
        "filter_query": _without_page(request.GET),
        "to_decide": [] if read_only else to_decide,
        "read_only": read_only,
        "accepted_any": any(i.status == DraftItem.Status.ACCEPTED for i in items),
        "locked_message": version.locked_message,
        "to_decide_under_risk": sum(1 for i in to_decide if i.kind in UNDER_RISK),
        "risks": risks,
    }
    return render(request, "drafts/review.html", context)


@editable
@require_POST
def decide(
    request: HttpRequest, version: AssessmentVersion, document: int, item: int
) -> HttpResponse:
    draft = get_object_or_404(DraftItem, document__version=version, document_id=document, pk=item)
    query = request.POST.get("query", "")
    back = review_url(draft.document) + (f"?{query}" if query else "") + f"#item-{draft.pk}"
    action = request.POST.get("action")
    try:
        if action == "accept":
            risk = None
            if request.POST.get("risk", "").isdigit():
                risk = Risk.objects.filter(version=version, pk=int(request.POST["risk"])).first()
            made = services.accept(
                draft,
                request.user,
                risk=risk,
                set_trend=bool(request.POST.get("set_trend")),
                add_area=bool(request.POST.get("add_area")),  # a place: never unless ticked
            )
            if draft.kind in UNDER_RISK:
                messages.success(request, f"Filed as evidence under the risk “{made}”.")
            elif getattr(made, "matched", False):
                # A place keeps no evidence; the other kinds file the sentence as evidence.
                kept = "; the report's sentence is kept as its evidence"
                kept = "" if draft.kind == "place" else kept
                messages.success(
                    request, f"Already in the version: {made._meta.verbose_name} “{made}”{kept}."
                )
            elif made is not None:
                messages.success(request, f"Accepted: {made._meta.verbose_name} “{made}”.")
            else:
                messages.success(request, "Accepted: the cue grades the evidence of its sentence.")
        elif action == "reject":
            services.reject(draft, request.user)
            messages.success(request, f"Rejected the {draft.get_kind_display().lower()}.")
        else:
            messages.error(request, "Choose Accept or Reject.")
    except services.DraftError as error:
        messages.error(request, str(error))
    return redirect(back)


@editable
@require_POST
def decide_all(request: HttpRequest, version: AssessmentVersion, document: int) -> HttpResponse:
    """Accept or reject every item still to decide among those the review page showed: the
    ``item`` ids it listed, within its kind filter (``query``); others are never touched."""
    doc = get_object_or_404(SourceDocument, version=version, pk=document)
    query = request.POST.get("query", "")
    back = review_url(doc) + (f"?{query}" if query else "")
    action = request.POST.get("action")
    if action not in ("accept", "reject"):
        messages.error(request, "Choose Accept all shown or Reject all shown.")
        return redirect(back)
    # The ids the page listed as still to decide, within its kind filter; any decided since
    # are refused one by one (counted "already decided"), never decided twice.
    posted = {int(p) for p in request.POST.getlist("item") if p.isdigit()}
    kind = QueryDict(query).get("kind", "")
    items = [i for i in doc.items.filter(pk__in=posted) if not kind or i.kind == kind]
    risk = None
    if request.POST.get("risk"):  # one risk for every item filed under a risk
        picked = request.POST["risk"]
        risk = Risk.objects.filter(version=version, pk=picked).first() if picked.isdigit() else None
        if risk is None:
            messages.error(request, "That risk is not in this version: nothing was decided.")
            return redirect(back)
    result = services.decide_all(items, request.user, action, risk=risk)
    (messages.warning if result.left else messages.success)(request, _said(result))
    return redirect(back)


def _said(result: services.Decided) -> str:
    """E.g. "Accepted 12 items: 5 places, 7 threat sentences; 3 left: no risk of their
    categories. As evidence under “Street crime in Lima” × 7."."""
    verb = "Accepted" if result.action == "accept" else "Rejected"
    said = f"{verb} {_n(sum(result.done.values()), 'item')}"
    kinds = [(k, result.done[k]) for k in DraftItem.Kind.values if result.done[k]]
    if kinds:
        said += ": " + ", ".join(_n(n, DraftItem.Kind(k).label.lower()) for k, n in kinds)
    for reason, n in result.left.items():
        said += f"; {n} left: {reason}"
    said += "."
    if result.under:
        said += " As evidence under " + ", ".join(f"“{t}” × {n}" for t, n in result.under.items())
        said += "."
    return said


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@editable
@require_POST
def delete_document(
    request: HttpRequest, version: AssessmentVersion, document: int
) -> HttpResponse:
    """Delete a report read by mistake, with its items, while none of them was accepted (an
    accepted item's report stays as the record of where it came from)."""
    doc = get_object_or_404(SourceDocument, version=version, pk=document)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Confirm the deletion of the report first.")
        return redirect(review_url(doc))
    accepted = doc.items.filter(status=DraftItem.Status.ACCEPTED).count()
    if accepted:
        messages.error(
            request,
            f"{_n(accepted, 'item')} of “{doc.title}” became part of version {version.number}: "
            "the report stays as the record of where they came from.",
        )
        return redirect(review_url(doc))
    title, count = doc.title, doc.items.count()
    doc.delete()
    messages.success(request, f"Deleted the report “{title}” and its {_n(count, 'item')}.")
    return redirect("drafts:list", slug=version.assessment.slug, number=version.number)
