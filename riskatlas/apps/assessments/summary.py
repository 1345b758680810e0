"""A version's summary — overall security level, top risk, counts — stored with it.

Made from the version's interchange document whenever its content changes (the single writer
and imports call ``store_summary``), exactly as the report derives them, and read back by the
list page, the API list and the dashboard without a query per version. A version whose stored
summary was made from other content (``summary_of`` is not its content hash, e.g. a version
stored before summaries were kept) is summarised again on first read
(``interchange.ensure_summary``, which reads the version back as its document).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.method.levels import SecurityLevel, security_level
from riskatlas.method.register import summarise as register_summary

SUMMARY_FIELDS = ["content_hash", "summary_of", "level", "top_risk", "counts"]
COUNTED = ("risks", "incidents", "actors", "areas", "sources")


@dataclass(frozen=True)
class TopRiskLevel:
    name: str
    colour: str
    rank: int


@dataclass(frozen=True)
class TopRisk:
    """The register's top risk as the list shows it."""

    id: str
    title: str
    level: TopRiskLevel


def summarise(doc: dict[str, Any]) -> dict[str, Any]:
    """The stored summary fields of a normalised interchange document: the method's register
    summary (the report's overall level and top risk, without building the report) and the
    number of parts of each kind."""
    counts: dict[str, Any] = {kind: len(doc.get(kind) or []) for kind in COUNTED}
    try:
        register = register_summary(doc)
    except (KeyError, ValueError):  # not a valid document: nothing can be derived from it
        return {"level": None, "top_risk": None, "counts": counts}
    counts["by_level"] = register.by_residual_level
    top = register.top_risk
    return {
        "level": register.level.value if register.level else None,
        "top_risk": {
            "id": top.id,
            "title": top.title,
            "level": {
                "name": top.residual.level.name,
                "colour": top.residual.level.colour,
                "rank": top.residual.level.rank,
            },
        }
        if top
        else None,
        "counts": counts,
    }


def store_summary(version: AssessmentVersion, doc: dict[str, Any]) -> None:
    """Store ``doc``'s summary (and the content hash already set on ``version``)."""
    for name, value in summarise(doc).items():
        setattr(version, name, value)
    version.summary_of = version.content_hash
    AssessmentVersion.objects.filter(pk=version.pk).update(
        **{name: getattr(version, name) for name in SUMMARY_FIELDS}
    )


def level_of(version: AssessmentVersion) -> SecurityLevel | None:
    """The stored overall security level."""
    return security_level(version.level) if version.level else None


def top_risk_of(version: AssessmentVersion) -> TopRisk | None:
    """The stored top risk."""
    top = version.top_risk
    if not top:
        return None
    return TopRisk(top["id"], top["title"], TopRiskLevel(**top["level"]))
