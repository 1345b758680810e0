"""``{% needs_help trip %}``: the travellers of a trip who said "I need help" and whose calls
are not handled yet, for those who follow the trip's check-ins (the trip's page, its check-ins
page), with the form that marks them handled for those who may (``help_calls.may_handle``)."""

from __future__ import annotations

from typing import Any

from django import template

from riskatlas.apps.care import help_calls
from riskatlas.apps.travel.access import follows_trip

register = template.Library()


@register.inclusion_tag("care/_needs_help.html", takes_context=True)
def needs_help(context: Any, trip: Any) -> dict[str, Any]:
    user = context["request"].user
    if not follows_trip(user, trip):
        return {"rows": []}
    return {
        "trip": trip,
        "rows": help_calls.open_by_traveller(trip),
        "may_handle": help_calls.may_handle(user, trip),
        "csrf_token": context.get("csrf_token"),
    }
