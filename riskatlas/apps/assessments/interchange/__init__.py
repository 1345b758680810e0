"""Storing interchange documents in the database and reading them back.

``import_document`` writes a normalised document in one transaction (all or nothing);
``export_version`` reads a version back as the same normalised document, so
import → export → import changes nothing. While a version is in review, a changed document is
refused (``VersionLockedError``) rather than replacing it or making a version beside it.

Both go through the same ordered registry of part mappers (``registry.py``); each app maps
its own kinds of part (``apps/geography/interchange.py``, ``apps/intelligence/interchange.py``,
``parts.py`` here), with the field lists of ``riskatlas.apps.assessments.mapping``.
"""

from riskatlas.apps.assessments.interchange.exporting import (
    content_hash,
    ensure_summary,
    export_version,
    overall_level,
    read_version,
)
from riskatlas.apps.assessments.interchange.importing import (
    DEFAULT_TEAM,
    ImportResult,
    TeamMismatch,
    import_document,
)
from riskatlas.apps.assessments.interchange.registry import PART_MAPPERS, PART_MODELS

__all__ = [
    "DEFAULT_TEAM",
    "PART_MAPPERS",
    "PART_MODELS",
    "ImportResult",
    "TeamMismatch",
    "content_hash",
    "ensure_summary",
    "export_version",
    "import_document",
    "overall_level",
    "read_version",
]
