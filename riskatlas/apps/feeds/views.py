"""The "What changed" page: advice levels raised or lowered, new orange or red hazard alerts
and new outbreaks, as the feed imports recorded them (``riskatlas.evidence.changes``). By
default the changes about the countries of your teams' assessments; all of them on request
(they are public data). Filters are a plain GET form, swapped in place with HTMX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from riskatlas.apps.accounts.permissions import may_import_open_data
from riskatlas.apps.feeds.concerns import (
    SOURCE_NAMES,
    ChangeRows,
    assessed_countries,
    country_of_area,
)
from riskatlas.evidence.areas import area_name
from riskatlas.evidence.changes import KINDS
from riskatlas.evidence.store import StoreBusy

PAGE_SIZE = 50
KIND_NAMES = {
    "advice-level": "Official advice level",
    "hazard-alert": "Hazard alert (orange or red)",
    "outbreak": "Disease outbreak",
}


@login_required
@require_safe
def changes_page(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope") if request.GET.get("scope") in ("ours", "all") else "ours"
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else ""
    countries = assessed_countries(request.user) if scope == "ours" else None
    context: dict[str, object] = {
        "scope": scope,
        "kind": kind,
        "kinds": KIND_NAMES,
        "countries": countries,
        "country_names": [area_name(code) for code in countries or []],
        "busy": False,
        "may_import": may_import_open_data(request),
    }
    try:
        rows = ChangeRows(countries, [kind] if kind else None)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        for change in page.object_list:
            change["source_name"] = SOURCE_NAMES.get(str(change["source"]), change["source"])
            change["country_name"] = country_of_area(change)
        context["page"] = page
    except StoreBusy:
        context["busy"] = True  # an import holds the store: say so, list nothing
    partial = bool(request.headers.get("HX-Request"))
    return render(request, "feeds/_changes.html" if partial else "feeds/changes.html", context)
