"""A new assessment from the API's request: the defaults of the web page, the team's rules
(403 for a weaker role, 404 for another team's source), problems as a 400 by field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework.exceptions import NotFound, ValidationError

from riskatlas.api.access import analyst_team, team_assessments
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.starting import (
    free_slug,
    proposed_scope,
    review_date,
    start_assessment,
)
from riskatlas.document.starting import CustomArea, NewAssessment, StartProblem
from riskatlas.geography import iso_area


def start_from_api(user: Any, data: dict[str, Any]) -> AssessmentVersion:
    team = analyst_team(user, data.get("team"), "starting an assessment")
    country = data["country"].upper()
    area = iso_area(country)
    if area is None or not area.is_country:
        raise ValidationError({"country": [f"{country!r} is not an ISO 3166-1 country code"]})
    as_of: dt.date = data.get("as_of") or dt.date.today()
    custom = [CustomArea(c["name"], tuple(c["parts"])) for c in data.get("custom_areas") or []]
    review_by: dt.date = data.get("review_by") or review_date(as_of)
    new = NewAssessment(
        slug=data.get("slug") or free_slug(country, as_of.year),
        title=data.get("title") or f"{area.name} security risk assessment",
        country=country,
        scope=str(data.get("scope") or "").strip()
        or proposed_scope(country, list(data.get("areas") or []), custom),
        author=data.get("author") or user.get_full_name() or user.get_username(),
        as_of=as_of.isoformat(),
        review_by=review_by.isoformat(),
        areas=list(data.get("areas") or []),
        custom_areas=custom,
        with_context=data.get("with_context", True),
    )
    source = None
    if data.get("source"):
        found = team_assessments(user).filter(slug=data["source"], team=team).first()
        if found is None:
            raise NotFound(f"no assessment {data['source']!r} in team {team.slug!r}")
        source = found.latest_version()
    try:
        made = start_assessment(
            team,
            new,
            source=source,
            full_copy=bool(data.get("full_copy")),
            with_risks=bool(data.get("with_risks")),
        )
    except StartProblem as problem:
        raise ValidationError(
            {("non_field_errors" if k == "__all__" else k): v for k, v in problem.problems.items()}
        ) from problem
    return made.version
