"""Small template filters for the assessment pages."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping|get_item:key``: a dictionary lookup with a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def ink(colour: str) -> str:
    """Text colour that reads on a level's background colour (WCAG contrast)."""
    from riskatlas.reports.charts import ink as _ink

    try:
        return _ink(str(colour))
    except (ValueError, IndexError):
        return "#111111"


@register.simple_tag
def map_tiles() -> dict[str, str]:
    """The tile server an operator configured for the map (``RISKATLAS_MAP_TILES``), if any."""
    from django.conf import settings

    return {
        "url": getattr(settings, "RISKATLAS_MAP_TILES", ""),
        "attribution": getattr(settings, "RISKATLAS_MAP_ATTRIBUTION", ""),
    }


@register.filter
def stale_warning(review_by: Any) -> str:
    """``version.review_by|stale_warning``: the out-of-date warning once the review-by date
    has passed ("" before), the same sentence as the report's cover."""
    from riskatlas.method.staleness import stale_warning as _warning

    return _warning(review_by)


@register.filter
def reasons(value: Any) -> str:
    """``entry.reasons|reasons``: why, as one line ("…a journey plan; rule off-road: …"), the
    same words as the command line (``travel.policy.reasons_in_words``)."""
    from riskatlas.travel.policy import reasons_in_words

    return reasons_in_words(value)


@register.filter
def area_label(area: Any) -> str:
    """``area|area_label``: an area (``name`` and ``code``) as ``geography.area_label`` words
    it: an ISO code in brackets after the name, a custom area's name alone."""
    from riskatlas.geography import area_label as _label

    if hasattr(area, "get"):
        return _label(str(area.get("name") or ""), str(area.get("code") or ""))
    return _label(str(getattr(area, "name", "") or ""), str(getattr(area, "code", "") or ""))


@register.filter
def review_by_to_renew(review_by: Any) -> str:
    """``version.review_by|review_by_to_renew``: "this date has passed; set a new one before
    submitting" for a draft's review-by date approval would refuse, else ""."""
    from riskatlas.method.staleness import review_by_to_renew as _to_renew

    return _to_renew(review_by)


@register.filter
def web_link(url: Any) -> str:
    """``url`` when it is an http(s) address, else "": a link read from outside (a feed held
    before its import dropped such links) is shown as a link only when it leads to a page."""
    from riskatlas.evidence.feeds import web_link as http_only

    return http_only(str(url or "").strip()) or ""
