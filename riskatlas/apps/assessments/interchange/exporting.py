"""Reading a stored version back as its normalised interchange document, and summarising a
version again from it when its stored summary is of other content."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
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


#: Versions whose document is kept in memory for pages that only read it (least recently read
#: goes first); per process.
READ_CACHE_SIZE = 16
_read: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
_read_lock = threading.Lock()


def read_version(version: AssessmentVersion) -> dict[str, Any]:
    """The version's document for a page, a map or a check that only reads it: the same as
    :func:`export_version`, kept in memory under the content hash the single writer stores on
    every change (``writer.content_changed``) with the status and review-by date that workflow
    steps change beside it, so a changed version is read afresh. A version without a stored
    hash is always exported. The caller gets its own copy. Writers must use
    :func:`export_version` (they compute that hash from it)."""
    state = version.state
    if state is None:
        return export_version(version)
    key = (*state, dt.date.today())
    with _read_lock:
        kept = _read.get(key)
        if kept is not None:
            _read.move_to_end(key)
    if kept is None:
        kept = export_version(version)
        with _read_lock:
            _read[key] = kept
            while len(_read) > READ_CACHE_SIZE:
                _read.popitem(last=False)
    return copy.deepcopy(kept)


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
