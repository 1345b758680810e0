"""Citing a source on a risk: one of the version's sources, or a new one (the version's own
with the same address or title is used instead of a twin), with a quote, where it is and a
grade the analyst chooses; the source and the evidence are saved through the writer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.forms import PART_KINDS
from riskatlas.apps.assessments.forms.refusals import show_refusal
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.assessments.part_form import free_key
from riskatlas.apps.assessments.views.editing import editable
from riskatlas.apps.intelligence.forms import CiteSourceForm
from riskatlas.apps.intelligence.matching import same_source
from riskatlas.apps.intelligence.models import Evidence, Source


def _new_source(version: AssessmentVersion, data: dict[str, object]) -> Source:
    title = str(data["title"]).strip()
    key = free_key(Source, version, title)
    last = Source.objects.filter(version=version).aggregate(m=Max("position"))["m"]
    return Source.objects.create(
        version=version,
        position=0 if last is None else last + 1,
        key=key,
        title=title,
        kind=str(data["kind"]),
        author=str(data.get("author") or ""),
        date=data.get("date"),
        url=str(data.get("url") or ""),
        reliability=str(data["reliability"]),
        credibility=int(data["credibility"]),  # type: ignore[call-overload]
    )


@editable
@require_http_methods(["GET", "POST"])
def cite_source(request: HttpRequest, version: AssessmentVersion, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk, version=version)
    form = CiteSourceForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = data.get("found") or same_source(
            version, title=data["title"], url=data.get("url") or ""
        )
        reused = source is not None and not data.get("found")

        def cite() -> list[Any]:
            cited = source or _new_source(version, data)
            Evidence.objects.create(
                version=version,
                position=Evidence.objects.filter(
                    version=version, subject_kind="risk", subject_id=risk.pk
                ).count(),
                source=cited,
                credibility=data["credibility"],
                quote=data["quote"].strip(),
                note=data.get("where", "").strip(),
                subject_kind="risk",
                subject_id=risk.pk,
            )
            return [risk, cited]

        try:
            writer.change(version, cite, parts=lambda made: made)
        except writer.ChangeRefused as refused:
            show_refusal(form, refused)
        else:
            if reused and source is not None:
                messages.info(
                    request,
                    f"“{source.title}” is already a source here: the quote is filed under it.",
                )
            messages.success(request, f"Cited a source on “{risk.title}”.")
            return redirect(
                "assessments:edit_part", version.assessment.slug, version.number, "risks", risk.pk
            )
    context = {"version": version, "kinds": PART_KINDS.values(), "risk": risk, "form": form}
    return render(
        request, "assessments/edit/cite.html", context, status=400 if form.errors else 200
    )
