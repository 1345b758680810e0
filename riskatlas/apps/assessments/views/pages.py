"""Read-only pages: the list of assessments and one assessment with its report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.accounts.permissions import (
    holds,
    may_import_open_data,
    request_roles,
    visible,
)
from riskatlas.apps.assessments import workflow
from riskatlas.apps.assessments.forms.starting import CountryForm
from riskatlas.apps.assessments.interchange import ensure_summary, read_version
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion, Status
from riskatlas.apps.assessments.page_sections import FORMATS, page_sections
from riskatlas.apps.assessments.summary import (
    TopRisk,
    TopRiskLevel,
    level_of,
    top_risk_of,
)
from riskatlas.geography import iso_area
from riskatlas.method.levels import SecurityLevel
from riskatlas.method.staleness import is_stale
from riskatlas.reports.context import build_context


def iso_name(code: str) -> str:
    area = iso_area(code)
    return area.name if area else code


@dataclass
class AssessmentRow:
    version: AssessmentVersion
    url: str
    country: str
    level: SecurityLevel | None
    top_risk: TopRisk | None
    top_risk_level: TopRiskLevel | None
    overdue: bool
    newer: AssessmentVersion | None = None  # a newer unpublished version, for analysts


def _list_row(assessment: Assessment, analyst: bool, today: dt.date) -> AssessmentRow | None:
    """The list's row for an assessment whose versions are prefetched: its current version
    (readers see published versions only) with the stored summary."""
    versions = sorted(assessment.versions.all(), key=lambda v: v.number)
    published = [v for v in versions if v.status == Status.PUBLISHED]
    version = published[-1] if published else (versions[-1] if versions and analyst else None)
    if version is None:
        return None
    ensure_summary(version)
    top = top_risk_of(version)
    country = iso_area(assessment.country)
    latest = versions[-1]
    return AssessmentRow(
        version=version,
        url=reverse("assessments:detail", args=[assessment.slug]),
        country=country.name if country else assessment.country,
        level=level_of(version),
        top_risk=top,
        top_risk_level=top.level if top else None,
        overdue=bool(version.review_by and version.review_by < today),
        newer=latest if analyst and latest.number > version.number else None,
    )


@login_required
@require_safe
def assessment_list(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    roles = request_roles(request)
    assessments = visible(Assessment.objects.all(), request.user).prefetch_related("versions")
    rows = [
        row
        for assessment in assessments
        if (
            row := _list_row(
                assessment, holds(roles, assessment.team_id, Role.ANALYST, request.user), today
            )
        )
        is not None
    ]
    by_status: dict[str, int] = {}
    by_level: dict[tuple[int, str, str], int] = {}
    for row in rows:
        label = row.version.get_status_display()
        by_status[label] = by_status.get(label, 0) + 1
        if row.level:
            key = (row.level.value, row.level.name, row.level.colour)
            by_level[key] = by_level.get(key, 0) + 1
    summary = {
        "total": len(rows),
        "countries": len({row.country for row in rows}),
        "overdue": sum(1 for row in rows if row.overdue),
        "by_status": sorted(by_status.items()),
        "by_level": sorted(by_level.items(), reverse=True),
    }
    can_import = any(holds(roles, team, Role.ANALYST, request.user) for team in roles) or bool(
        request.user.is_superuser
    )
    # Analysts start an assessment where they land: the country chosen here shows the
    # new-assessment form below it (docs/authoring.md); without scripts a button opens it.
    picker = country_picker() if can_import else None
    return render(
        request,
        "assessments/list.html",
        {"rows": rows, "summary": summary, "can_import": can_import, "picker": picker},
    )


@cache
def country_picker() -> SafeString:
    """The list's country picker as HTML: the same for everyone who may start an assessment
    (an empty choice of the ISO countries), so rendered once per process. Rendering its 250
    options through Django's widget templates on every view was most of the list's time."""
    field = CountryForm(auto_id="pick_%s")["country"]
    return render_to_string("assessments/edit/_field.html", {"field": field})


def readable_version(request: HttpRequest, slug: str, number: int | None) -> AssessmentVersion:
    """The version a page or download asks for (the current one without a number), if the user
    may read it: 404 outside the team, and drafts for analysts and up only."""
    assessment = get_object_or_404(Assessment, slug=slug)
    roles = request_roles(request)  # read once for the page and its header
    if not holds(roles, assessment.team_id, Role.READER, request.user):
        raise Http404("not found")  # another team's assessment does not exist
    if number is None:
        version = assessment.current_version()
        if version is None:
            raise Http404("no versions")
    else:
        version = get_object_or_404(assessment.versions, number=number)
    if version.status != Status.PUBLISHED and not holds(
        roles, assessment.team_id, Role.ANALYST, request.user
    ):
        raise Http404("not found")  # readers see published versions only
    return version


@login_required
@require_safe
def assessment_detail(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponse:
    version = readable_version(request, slug, number)
    analyst = holds(request_roles(request), version.assessment.team_id, Role.ANALYST, request.user)
    versions = version.assessment.versions.order_by("number")
    if not analyst:
        versions = versions.filter(status=Status.PUBLISHED)
    can_edit = not version.is_locked and analyst
    # The sections (summary to sources) are the same for every reader of the version, and
    # kept while it reads the same; the page around them is this reader's.
    sections = page_sections(request, version, can_edit)
    context: dict[str, Any] = {
        "can_edit": can_edit,
        "version": version,
        "versions": versions,
        "country_name": sections.country_name,
        "sections": sections.html,
        # Who may import is not ``can_edit`` (any team's analysts, whatever the version's
        # state), so the link to the import page is the page's, not the kept sections'.
        "offer_import": sections.without_open_data and may_import_open_data(request),
        "formats": FORMATS,
        **_renewal(version, analyst),
    }
    return render(request, "assessments/detail.html", context)


def _renewal(version: AssessmentVersion, analyst: bool) -> dict[str, Any]:
    """Beside the out-of-date warning, for analysts: the "New version" button when this is
    the version it would copy (the latest frozen one), or the draft already under way."""
    if not (analyst and version.is_frozen and is_stale(version.review_by)):
        return {}
    under_way = workflow.open_version(version.assessment)
    if under_way is not None:
        return {"renewing": under_way}
    return {"can_new_version": workflow.new_version_copies(version)}


@login_required
@require_safe
def assessment_map(request: HttpRequest, slug: str, number: int) -> JsonResponse:
    """GeoJSON for the map: areas with their level and specific level, places and incidents
    as points."""
    version = readable_version(request, slug, number)
    doc = read_version(version)
    shapes = _boundary_shapes(version.assessment.country)
    features = _area_features(doc, shapes, version.assessment.country) + _point_features(doc)
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "boundaries": bool(shapes),
        }
    )


def _boundary_shapes(country: str) -> dict[str, Any]:
    """The outline of each admin-1 area of ``country`` by ISO 3166-2 code ({} if none)."""
    from riskatlas.reports.area_map import country_shapes

    return country_shapes(country)


def _area_features(doc: dict[str, Any], shapes: dict[str, Any], country: str) -> list[Any]:
    """The admin-1 outlines, each with the level and the specific level of the area that names
    it most particularly, and the custom areas as outlines (``reports.area_map``)."""
    from riskatlas.reports.area_map import iso_names, map_features

    return map_features(build_context(doc).areas, shapes, country, iso_names(shapes))


def _point(place: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """A point on the map at ``place``'s coordinates."""
    coordinates = [place["lon"], place["lat"]]
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": coordinates},
        "properties": properties,
    }


def _point_features(doc: dict[str, Any]) -> list[Any]:
    """The named places with coordinates, and the incidents at those places."""
    places = {p["id"]: p for p in doc.get("places") or []}
    features = [
        _point(p, {"kind": "place", "name": p["name"], "description": p.get("description", "")})
        for p in places.values()
        if p.get("lat") is not None
    ]
    for incident in doc.get("incidents") or []:
        place = places.get(incident.get("place", ""))
        if not place or place.get("lat") is None:
            continue
        properties = {
            "kind": "incident",
            "name": incident["title"],
            "date": incident["date"],
            "categories": incident["categories"],
        }
        features.append(_point(place, properties))
    return features
