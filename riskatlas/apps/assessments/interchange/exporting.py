"""Reading a stored version back as its normalised interchange document, and summarising a
version again from it when its stored summary is of other content."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from riskatlas.apps.assessments.interchange.metadata import metadata_of
from riskatlas.apps.assessments.interchange.registry import read_parts
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.summary import TopRisk, level_of, store_summary, top_risk_of
from riskatlas.document.normalise import normalise
from riskatlas.method.levels import SecurityLevel


def content_hash(doc: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode("utf-8")).hexdigest()


def export_version(version: AssessmentVersion) -> dict[str, Any]:
    """The version as a normalised interchange document."""
    doc: dict[str, Any] = {
        "riskatlas": 1,
        "assessment": metadata_of(version),
        "matrix": version.matrix,
    }
    read_parts(version, doc)
    return normalise(doc)


def ensure_summary(version: AssessmentVersion) -> AssessmentVersion:
    """``version`` with a summary of its current content (made now if missing)."""
    if not version.summary_of or version.summary_of != version.content_hash:
        doc = export_version(version)
        version.content_hash = content_hash(doc)
        store_summary(version, doc)
    return version


def overall_level(version: AssessmentVersion) -> tuple[SecurityLevel | None, TopRisk | None]:
    """The country's security level and the register's top risk (stored; made if missing)."""
    ensure_summary(version)
    return level_of(version), top_risk_of(version)
