"""A stored version's overall level and top risk, derived exactly as the report derives them."""

from __future__ import annotations

from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.method.levels import SecurityLevel
from riskatlas.reports.context import RatedRisk, build_context


def overall_level(version: AssessmentVersion) -> tuple[SecurityLevel | None, RatedRisk | None]:
    """The country's security level and the register's top risk."""
    ctx = build_context(export_version(version))
    return ctx.overall.level, ctx.top_risks[0] if ctx.top_risks else None
