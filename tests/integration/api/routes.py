"""Every route under /api/, read from Django's URL resolver (not from the API's own code), so
a route added later is walked and checked by the tests without anyone listing it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# The travel routes (trips, travellers, approvals, check-ins, calls for help) are walked by
# test_travel_authorization.py, which knows their objects; test_authorization.py the others.
TRAVEL_ROUTES = ("api:trip-", "api:traveller-", "api:approval-", "api:check-in-", "api:help-call-")
PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    template: str  # "/api/v1/risks/{pk}/"
    name: str  # "api:risk-detail"
    methods: frozenset[str]  # GET, POST, PUT, PATCH, DELETE that the view answers

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.template)

    def fill(self, **values: object) -> str:
        return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), self.template)


def _template(pattern: str) -> str:
    text = pattern.lstrip("^").rstrip("$")
    return PARAM.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", text)


def _methods(callback: object) -> frozenset[str]:
    actions = getattr(callback, "actions", None)  # a DRF viewset bound to its actions
    if actions:
        return frozenset(m.upper() for m in actions if m not in ("head", "options"))
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    names = ("get", "post", "put", "patch", "delete")
    return frozenset(n.upper() for n in names if view_class and hasattr(view_class, n))


def api_routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns: list[object], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + _template(str(p.pattern)), ns)
            elif isinstance(p, URLPattern):
                template = "/" + prefix + _template(str(p.pattern))
                if template.startswith("/api/"):
                    found.append(Route(template, f"{namespace}{p.name}", _methods(p.callback)))

    walk(get_resolver().url_patterns, "", "")
    return found
