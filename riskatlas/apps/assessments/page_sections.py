"""The assessment page's sections — summary, context, threats, exposure, matrix and map,
register, areas, incidents, actors, recommendations, watch items, official advice and
sources — as HTML, kept per process while the version and what is read beside it stay the
same (issue 13: less work per request).

They are the page's bulk and the same for everyone who sees the version: what they show comes
from the version's document (its report context), the evidence and advice beside it, and one
thing about the reader, whether they may edit it (``can_edit``: the import hints and the
evidence panels' forms). They are kept under what ``read_version`` keeps the document under
(the content hash the single writer stores on every change, the status and review-by date that
workflow steps change, the day) with the version's pk and ``can_edit``, and under what the
evidence and advice are read from: the evidence store's state (its path, and the size and
modification time of its files: any import changes them, ``evidence_cache.store_state``) and
how old advice may be before it is flagged. A change to any of them is read afresh at once.
Sections rendered while an import was writing (the panels "busy") or while the store changed
under them are not kept. The evidence panels' forms carry the reader's own CSRF token: the kept
HTML holds a placeholder, replaced for each request. After an import the worker that refreshes
the evidence also renders the sections into the shared cache (``prepare``), so that the first
view in any app process finds them; a page only reads that cache (a write there would cost its
first view a commit), and keeps what it renders in its own process. What differs by reader —
the versions they may see, the edit and review links, the header — is the page around them
(``detail.html``, ``views/pages.py``), rendered per request. Nothing is kept in DEBUG mode,
where templates are read afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from riskatlas.apps.assessments.interchange import read_version
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.method.matrix import Matrix
from riskatlas.reports.context import build_context

#: Versions' sections kept (least recently shown goes first), and their characters at most
#: (the Peru example's are about 120 kB); per process.
KEPT = 32
KEPT_CHARACTERS = 64_000_000
FORMATS = ["pdf", "html", "md", "docx", "yaml", "csv", "xlsx"]
NOTHING = {"state": "no-store", "panels": {}, "governments": [], "rows": []}
#: Stands for the reader's CSRF token in the kept HTML (letters only: rendered as it is).
TOKEN = "riskatlasKeptSectionsToken"
#: Marks the register's note "No open data imported yet" (``_sections.html``).
NO_OPEN_DATA = 'id="no-open-data"'

#: How long the worker's prepared sections stay in the shared cache (their key changes with
#: the version, the store and the day anyway).
_SHARED_SECONDS = 24 * 3600
logger = logging.getLogger(__name__)

_kept: OrderedDict[tuple[Any, ...], Sections] = OrderedDict()
_lock = threading.Lock()
_size = [0]  # the characters kept


@dataclass(frozen=True)
class Sections:
    country_name: str
    html: SafeString

    @property
    def without_open_data(self) -> bool:
        """Whether the register says that no open data is imported yet (the page around the
        sections then offers the import to those who may import, ``detail.html``)."""
        return NO_OPEN_DATA in self.html


def page_sections(request: HttpRequest, version: AssessmentVersion, can_edit: bool) -> Sections:
    """The version's sections for the request's reader, who may (or may not) edit it: kept in
    this process, else prepared by the worker (``prepare``, in the shared cache), else rendered
    here and kept in this process."""
    from riskatlas.evidence import events_db_path

    store = events_db_path()
    key = _key(version, can_edit, store)
    if key is not None:
        with _lock:
            kept = _kept.get(key)
            if kept is not None:
                _kept.move_to_end(key)
        if kept is None:
            kept = _prepared(key)
            if kept is not None:
                _keep(key, kept)
        if kept is not None:
            return _for_reader(request, kept)
    sections, keep = _rendered(version, can_edit, store, key)
    if keep and key is not None:
        _keep(key, sections)
    return _for_reader(request, sections)


def prepare(version: AssessmentVersion) -> int:
    """Render the version's sections for its readers (and its editors, while it may be edited)
    and put them in the shared cache (Django's: the database or Redis), for the first view of
    every app process; the evidence refresh's worker calls it once the evidence is computed.
    How many it put there (none in DEBUG, without a content hash, or when the store changed)."""
    from django.core.cache import cache

    from riskatlas.evidence import events_db_path

    store = events_db_path()
    put = 0
    for can_edit in (False,) if version.is_locked else (False, True):
        key = _key(version, can_edit, store)
        if key is None or _prepared(key) is not None:
            continue
        sections, keep = _rendered(version, can_edit, store, key)
        if not keep:
            return put
        try:
            cache.set(
                _shared_key(key), (sections.country_name, str(sections.html)), _SHARED_SECONDS
            )
        except Exception as exc:  # any backend's error: the pages render them instead
            logger.warning("shared cache unavailable (%s); sections not prepared", exc)
            return put
        put += 1
    return put


def _key(version: AssessmentVersion, can_edit: bool, store: Path) -> tuple[Any, ...] | None:
    """What the sections are kept under (None: not kept)."""
    from riskatlas.evidence.advice_dates import advice_max_age_days
    from riskatlas.evidence.evidence_cache import store_state

    state = version.state
    if state is None or settings.DEBUG:
        return None
    return (
        *state,
        can_edit,
        dt.date.today(),
        store_state(store),
        advice_max_age_days(),
    )


def _rendered(
    version: AssessmentVersion, can_edit: bool, store: Path, key: tuple[Any, ...] | None
) -> tuple[Sections, bool]:
    """The sections rendered afresh, and whether they may be kept under ``key``: not when an
    import was writing (the panels "busy") or the store changed meanwhile."""
    from riskatlas.evidence.evidence_cache import store_state

    sections, open_data = _render(version, can_edit, store, token=TOKEN)
    busy = any(part.get("state") == "busy" for part in open_data.values())
    return sections, key is not None and not busy and store_state(store) == key[6]


def _shared_key(key: tuple[Any, ...]) -> str:
    return "riskatlas-sections:" + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()


def _prepared(key: tuple[Any, ...]) -> Sections | None:
    """The sections the worker prepared under ``key``, if any (a cache that fails is a miss)."""
    from django.core.cache import cache

    try:
        found = cache.get(_shared_key(key))
    except Exception as exc:  # any backend's error
        logger.warning("shared cache unavailable (%s); rendering the sections", exc)
        return None
    if not (isinstance(found, tuple) and len(found) == 2):
        return None
    return Sections(found[0], mark_safe(found[1]))  # rendered (escaped) by ``prepare``


def _for_reader(request: HttpRequest, sections: Sections) -> Sections:
    """The sections with the reader's CSRF token in their forms (an editor's evidence panels)."""
    if TOKEN not in sections.html:
        return sections
    html = sections.html.replace(TOKEN, get_token(request))
    # The kept HTML was escaped when rendered; a CSRF token is letters and digits.
    return Sections(sections.country_name, mark_safe(html))


def _keep(key: tuple[Any, ...], sections: Sections) -> None:
    with _lock:
        if key in _kept:
            return
        _kept[key] = sections
        _size[0] += len(sections.html)
        while _kept and (len(_kept) > KEPT or _size[0] > KEPT_CHARACTERS):
            _size[0] -= len(_kept.popitem(last=False)[1].html)


def forget() -> None:
    """Drop every version's kept sections."""
    with _lock:
        _kept.clear()
        _size[0] = 0


def _forget_on_change(**_: Any) -> None:
    forget()  # a setting a test overrides (the map's tiles) shows at once


setting_changed.connect(_forget_on_change)


def _render(
    version: AssessmentVersion, can_edit: bool, store: Any, token: str
) -> tuple[Sections, dict[str, Any]]:
    from riskatlas.reports.charts import timeline_svg
    from riskatlas.reports.open_data import gather

    doc = read_version(version)
    ctx = build_context(doc)
    inherent, residual = ctx.heat_maps
    open_data = gather(doc, store, ctx)
    context: dict[str, Any] = {
        "can_edit": can_edit,
        "evidence": open_data.get("evidence", NOTHING),
        "advice": open_data.get("advice", NOTHING),
        "version": version,
        "ctx": ctx,
        "overall": ctx.overall.level,
        "matrices": [
            ("residual", _matrix_rows(residual, ctx.matrix)),
            ("inherent", _matrix_rows(inherent, ctx.matrix)),
        ],
        "likelihood_names": [p.name for p in ctx.glossary.likelihood],
        "categories": sorted({r.category for r in ctx.risks}, key=lambda c: c.code),
        "risk_areas": sorted({(r.area, r.area_name) for r in ctx.risks}),
        "timeline": timeline_svg(ctx.incidents),
        "map_url": reverse("assessments:map", args=[version.assessment.slug, version.number]),
        # An evidence panel's form (analysts accept a suggested likelihood there): the
        # placeholder, replaced by each reader's token (``_for_reader``).
        "csrf_token": token,
    }
    html = render_to_string("assessments/_sections.html", context)
    return Sections(ctx.meta.country_name, html), open_data


def _matrix_rows(heat: Any, matrix: Matrix) -> list[dict[str, Any]]:
    """The heat map as table rows, impact descending, with the risk labels in each cell."""
    rows = []
    for impact in sorted(heat.impact_values, reverse=True):
        cells = [heat.cell(likelihood, impact) for likelihood in sorted(heat.likelihood_values)]
        rows.append({"impact": impact, "cells": cells})
    return rows
