"""The assessment page's sections — summary, context, threats, exposure, matrix and map,
register, areas, incidents, actors, recommendations, watch items, official advice and
sources — as HTML, kept per process while the version reads the same (issue 13: less work per
request).

They are the page's bulk and the same for everyone who sees the version: what they show comes
from the version's document (its report context), the evidence and advice beside it, and one
thing about the reader, whether they may edit it (``can_edit``: the import hints). Without an
evidence store they are kept under what ``read_version`` keeps the document under (the content
hash the single writer stores on every change, the status and review-by date that workflow
steps change, the day) with the version's pk and ``can_edit``; a change is read afresh at
once. With a store the evidence and advice are read as before and the sections rendered for
the request. What differs by reader — the versions they may see, the edit and review links,
the header, the forms' CSRF tokens — is the page around them (``detail.html``), rendered per
request. Nothing is kept in DEBUG mode, where templates are read afresh.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

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

_kept: OrderedDict[tuple[Any, ...], Sections] = OrderedDict()
_lock = threading.Lock()
_size = [0]  # the characters kept


@dataclass(frozen=True)
class Sections:
    country_name: str
    html: SafeString


def page_sections(request: HttpRequest, version: AssessmentVersion, can_edit: bool) -> Sections:
    """The version's sections for the request's reader, who may (or may not) edit it."""
    from riskatlas.evidence import events_db_path

    store = events_db_path()
    key = None
    if version.content_hash and not settings.DEBUG and not store.is_file():
        # The pk stands for the assessment (its slug) and the number: neither ever changes.
        key = (
            version.pk,
            version.content_hash,
            version.status,
            version.review_by,
            can_edit,
            dt.date.today(),
        )
        with _lock:
            kept = _kept.get(key)
            if kept is not None:
                _kept.move_to_end(key)
                return kept
    sections, open_data = _render(request, version, can_edit, store)
    if key is not None and not open_data:  # no store appeared meanwhile
        _keep(key, sections)
    return sections


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
    request: HttpRequest, version: AssessmentVersion, can_edit: bool, store: Any
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
        # An evidence panel's form (analysts accept a suggested likelihood there); none
        # without a store, so the sections kept hold no token.
        **csrf(request),
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
