"""Reading reports into a version and reviewing what they propose (analysts and above on a
draft or in-review version: readers get 403, other teams 404, frozen versions 409)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.assessments.views.editing import editable
from riskatlas.apps.drafts import services
from riskatlas.apps.drafts.forms import ReadReportForm
from riskatlas.apps.drafts.highlight import Span, highlighted_html
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.proposals import categories_of

UNDER_RISK = ("category", "trend", "likelihood")


def review_url(document: SourceDocument) -> str:
    version = document.version
    return reverse("drafts:review", args=[version.assessment.slug, version.number, document.pk])


@editable
def document_list(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    documents = []
    for document in SourceDocument.objects.filter(version=version):
        statuses = list(document.items.values_list("status", flat=True))
        documents.append((document, len(statuses), statuses.count(DraftItem.Status.PROPOSED)))
    return render(request, "drafts/list.html", {"version": version, "documents": documents})


@editable
def read_report(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    form = ReadReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = services.read_into(
            version, form.cleaned_data["title"], form.cleaned_data["text"], request.user
        )
        found = services.counts(document)
        total = sum(found.values())
        messages.success(request, f"Read “{document.title}”: {total} items to review.")
        return redirect(review_url(document))
    return render(request, "drafts/read.html", {"version": version, "form": form})


def _summary(item: DraftItem) -> str:
    p = item.payload
    kind = item.kind
    if kind == "category":
        return ", ".join(f"{c['code']} {c['score']:.2f}" for c in p.get("categories", []))
    if kind == "place":
        where = p.get("iso_3166") or "no ISO code"
        return f"{p['name']} ({p.get('kind', 'place')}, {where})"
    if kind == "actor":
        figures = "; ".join(f["text"] for f in p.get("figures", []))
        aliases = f" ({', '.join(p['aliases'])})" if p.get("aliases") else ""
        return f"{p['name']}{aliases}, {p.get('type', '')}" + (f"; {figures}" if figures else "")
    if kind == "incident":
        when = p.get("when", {})
        where = ", ".join(w.get("iso_3166", "") for w in p.get("where", []))
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
    return f"credibility {p['credibility']}: {p.get('credibility_name', '')}"


@editable
def review(request: HttpRequest, version: AssessmentVersion, document: int) -> HttpResponse:
    doc = get_object_or_404(SourceDocument, version=version, pk=document)
    items = list(doc.items.all())
    risks = list(Risk.objects.filter(version=version))
    # The list can be narrowed to one kind and to the items still to decide.
    kind = request.GET.get("kind", "")
    only_proposed = request.GET.get("status") == "proposed"
    shown = [
        i
        for i in items
        if (not kind or i.kind == kind)
        and (not only_proposed or i.status == DraftItem.Status.PROPOSED)
    ]
    rows: list[dict[str, Any]] = []
    for item in shown:
        choices: list[Risk] = []
        if item.kind in UNDER_RISK:
            codes = categories_of(item.kind, item.payload)
            choices = [r for r in risks if r.category in codes] or risks
        rows.append({"item": item, "summary": _summary(item), "risks": choices})
    spans = [Span(i.pk, i.kind, i.start, i.end, i.status) for i in items]
    context = {
        "version": version,
        "document": doc,
        "rows": rows,
        "text_html": mark_safe(highlighted_html(doc.text, spans)),  # escaped piece by piece
        "counts": services.counts(doc),
        "proposed": sum(1 for i in items if i.status == DraftItem.Status.PROPOSED),
        "kind": kind,
        "only_proposed": only_proposed,
        "query": request.GET.urlencode(),
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
                draft, request.user, risk=risk, set_trend=bool(request.POST.get("set_trend"))
            )
            if draft.kind in UNDER_RISK:
                messages.success(request, f"Filed as evidence under the risk “{made}”.")
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
