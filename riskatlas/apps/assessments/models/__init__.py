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
    "ThreatNarrative",
    "VersionLockedError",
    "VersionPart",
    "WatchItem",
]
