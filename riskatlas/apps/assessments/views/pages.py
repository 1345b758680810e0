"""Read-only pages: the list of assessments and one assessment with its report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.accounts.permissions import can, require, visible
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion, Risk, Status
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.geography import iso_area
from riskatlas.method.levels import SecurityLevel, area_level
from riskatlas.method.matrix import Matrix, MatrixLevel


@dataclass
class AssessmentRow:
    version: AssessmentVersion
    url: str
    country: str
    level: SecurityLevel | None
    top_risk: Risk | None
    top_risk_level: MatrixLevel | None
    overdue: bool


def overall_level(version: AssessmentVersion) -> tuple[SecurityLevel | None, Risk | None]:
    """The country-wide level (highest residual risk anywhere, or the analyst's override on
    the country area) and the risk that drives it."""
    matrix = Matrix.from_dict(version.matrix)
    risks = list(Risk.objects.filter(version=version))
    pairs = [(r, r.residual_level(matrix)) for r in risks]
    country = AssessmentArea.objects.filter(
        version=version, code=version.assessment.country
    ).first()
    override = country.level_override if country else None
    level = area_level(pairs, override, country.level_reason if country else "")
    top = max(
        pairs,
        key=lambda p: (p[1].rank, p[0].residual_likelihood * p[0].residual_impact),
        default=None,
    )
    return level.level, top[0] if top else None


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    rows = []
    today = dt.date.today()
    for assessment in visible(Assessment.objects.all(), request.user):
        version = assessment.current_version()
        if version is None:
            continue
        level, top = overall_level(version)
        matrix = Matrix.from_dict(version.matrix)
        country = iso_area(assessment.country)
        rows.append(
            AssessmentRow(
                version=version,
                url=reverse("assessments:detail", args=[assessment.slug]),
                country=country.name if country else assessment.country,
                level=level,
                top_risk=top,
                top_risk_level=top.residual_level(matrix) if top else None,
                overdue=bool(version.review_by and version.review_by < today),
            )
        )
    return render(request, "assessments/list.html", {"rows": rows})


def _version(request: HttpRequest, slug: str, number: int | None) -> AssessmentVersion:
    assessment = get_object_or_404(Assessment, slug=slug)
    require(request.user, assessment.team_id)
    if number is None:
        version = assessment.current_version()
        if version is None:
            raise Http404("no versions")
    else:
        version = get_object_or_404(AssessmentVersion, assessment=assessment, number=number)
    if version.status != Status.PUBLISHED:
        # Readers see published versions only; drafts are the analysts' and reviewers'.
        require(request.user, assessment.team_id, Role.ANALYST)
    return version


@login_required
def assessment_detail(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    version = _version(request, slug, number)
    level, top = overall_level(version)
    versions = version.assessment.versions.order_by("number")
    if not can(request.user, version.assessment.team_id, Role.ANALYST):
        versions = versions.filter(status=Status.PUBLISHED)
    context: dict[str, Any] = {
        "version": version,
        "versions": versions,
        "level": level,
        "top_risk": top,
        "formats": ["pdf", "html", "md", "yaml"],
    }
    return render(request, "assessments/detail.html", context)


REPORT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
}


@login_required
def assessment_report(request: HttpRequest, slug: str, number: int, fmt: str) -> HttpResponse:
    if fmt not in REPORT_TYPES:
        raise Http404("unknown format")
    version = _version(request, slug, number)
    doc = export_version(version)
    if fmt == "yaml":
        from riskatlas.document import dump

        body: bytes | str = dump(doc)
    else:
        from riskatlas.reports.render import render

        body = render(doc, fmt)
    response = HttpResponse(body, content_type=REPORT_TYPES[fmt])
    filename = f"{slug}-v{version.number}.{fmt}"
    disposition = "inline" if fmt in ("pdf", "html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
