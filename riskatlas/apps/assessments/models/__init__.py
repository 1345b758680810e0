from riskatlas.apps.assessments.models.assessments import (
    Assessment,
    AssessmentVersion,
    FrozenVersionError,
    Status,
    VersionLockedError,
    VersionPart,
)
from riskatlas.apps.assessments.models.content import (
    Activity,
    ContextSection,
    ExposureGroup,
    Mitigation,
    OfficialAdvice,
    Recommendation,
    Route,
    Site,
    ThreatNarrative,
    WatchItem,
)
from riskatlas.apps.assessments.models.reviews import ReviewComment
from riskatlas.apps.assessments.models.risks import Risk
from riskatlas.apps.assessments.models.templates import TeamTemplate

__all__ = [
    "Activity",
    "Assessment",
    "AssessmentVersion",
    "ContextSection",
    "ExposureGroup",
    "FrozenVersionError",
    "Mitigation",
    "OfficialAdvice",
    "Recommendation",
    "ReviewComment",
    "Risk",
    "Route",
    "Site",
    "Status",
    "TeamTemplate",
    "ThreatNarrative",
    "VersionLockedError",
    "VersionPart",
    "WatchItem",
]
