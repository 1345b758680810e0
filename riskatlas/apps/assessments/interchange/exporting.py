"""Reading a stored version back as its normalised interchange document."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from riskatlas.apps.assessments.interchange.metadata import metadata_of
from riskatlas.apps.assessments.interchange.registry import read_parts
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.document.normalise import normalise


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
