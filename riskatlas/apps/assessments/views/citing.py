"""Citing a source on a risk: one of the version's sources, or a new one (the version's own
with the same address or title is used instead of a twin), with a quote, where it is and a
grade the analyst chooses; the source and the evidence are saved through the writer. The risk
form takes the same citation (citations.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.citations import file_quote, reused_message, source_named
from riskatlas.apps.assessments.forms import PART_KINDS
from riskatlas.apps.assessments.forms.refusals import show_refusal
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.assessments.views.editing import editable
from riskatlas.apps.intelligence.forms import CiteSourceForm
from riskatlas.evidence.official_pages import official_page


@editable
@require_http_methods(["GET", "POST"])
def cite_source(request: HttpRequest, version: AssessmentVersion, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk, version=version)
    form = CiteSourceForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source, reused = source_named(version, data)

        def cite() -> list[Any]:
            return [risk, file_quote(version, risk, data, source)]

        try:
            writer.change(version, cite, parts=lambda made: made)
        except writer.ChangeRefused as refused:
            show_refusal(form, refused)
        else:
            if reused and source is not None:
                messages.info(request, reused_message(source))
            messages.success(request, f"Cited a source on “{risk.title}”.")
            return redirect(
                "assessments:edit_part", version.assessment.slug, version.number, "risks", risk.pk
            )
    context = {"version": version, "kinds": PART_KINDS.values(), "risk": risk, "form": form}
    return render(
        request, "assessments/edit/cite.html", context, status=400 if form.errors else 200
    )


@editable
@require_GET
def source_about(request: HttpRequest, version: AssessmentVersion) -> JsonResponse:
    """What a new source's address says of it, when it is a known official advice page (the
    risk form proposes its title, publisher and kind): ``{}`` otherwise. No grade is proposed."""
    page = official_page(request.GET.get("url", "")[:500])
    if page is None:
        return JsonResponse({})
    return JsonResponse({"title": page.title, "author": page.publisher, "kind": page.kind})
