"""What the travel pages share: the team a page acts for, and levels with their colours."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.accounts.permissions import can, teams_of
from riskatlas.method.levels import security_level


def team_for(request: HttpRequest, role: str) -> Team:
    """The team named by ``?team=slug`` (or the form's ``team``), else the user's first team
    where they hold ``role``; 404 when they hold it in none."""
    slug = request.POST.get("team") or request.GET.get("team")
    teams = [t for t in teams_of(request.user) if can(request.user, t, role)]
    if slug:
        teams = [t for t in teams if t.slug == slug]
    if not teams:
        raise Http404("not found")
    return teams[0]


def teams_where(request: HttpRequest, role: str) -> list[Team]:
    return [t for t in teams_of(request.user) if can(request.user, t, role)]


def level_badge(level: int | None) -> dict[str, Any] | None:
    if not level:
        return None
    lv = security_level(level)
    return {"value": level, "name": lv.name, "colour": lv.colour}


def with_colours(check: dict[str, Any]) -> dict[str, Any]:
    """The check's levels (trip, segments, areas, risks) with their names and colours."""
    check = dict(check)
    check["badge"] = level_badge(check.get("level"))
    segments = []
    for seg in check.get("segments", []):
        seg = dict(seg)
        seg["badge"] = level_badge(seg.get("level"))
        seg["areas"] = [
            {**a, "badge": level_badge(a.get("level")), **_advice_in_words(a)}
            for a in seg.get("areas", [])
        ]
        seg["risks"] = [
            {
                **r,
                "badge": {
                    "value": r.get("residual_level"),
                    "name": r.get("residual_name"),
                    "colour": r.get("residual_colour") or "#cccccc",
                },
            }
            for r in seg.get("risks", [])
        ]
        segments.append(seg)
    check["segments"] = segments
    return check


def _advice_in_words(area: dict[str, Any]) -> dict[str, Any]:
    """The official advice held on an area (where no assessment covers it, or beside the
    assessment's level) with the government's name and the level's words."""
    from riskatlas.evidence.advice import LEVEL_NAMES, government_name

    return {
        key: [
            {
                **adv,
                "government_name": government_name(adv.get("government") or ""),
                "level_name": adv.get("level_name") or LEVEL_NAMES.get(adv.get("level") or 0, ""),
            }
            for adv in area[key]
        ]
        for key in ("advice", "advice_beside")
        if area.get(key)
    }
