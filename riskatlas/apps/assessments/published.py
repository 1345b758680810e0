"""The published assessments a trip is checked against: for each country, the latest version
published (by the team when one is given), exported as the interchange document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from riskatlas.apps.assessments.interchange import read_version
from riskatlas.apps.assessments.models import AssessmentVersion, Status
from riskatlas.travel.exposure import Covering


def published_coverings(countries: Iterable[str], team: Any = None) -> list[Covering]:
    """One ``Covering`` per country that has a published assessment (the newest published
    version of any of its assessments; the team's only, when ``team`` is given)."""
    wanted = sorted(set(countries))
    versions = (
        AssessmentVersion.objects.filter(status=Status.PUBLISHED, assessment__country__in=wanted)
        .select_related("assessment")
        .order_by("assessment__country", "-frozen_at", "-number")
    )
    if team is not None:
        versions = versions.filter(assessment__team=team)
    chosen: dict[str, AssessmentVersion] = {}
    for version in versions:
        chosen.setdefault(version.assessment.country, version)
    return [
        Covering(
            read_version(v),
            f"{v.assessment.slug} v{v.number}",
            v.frozen_at.date().isoformat() if v.frozen_at else None,
        )
        for v in chosen.values()
    ]
