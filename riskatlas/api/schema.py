"""How the OpenAPI description describes what every operation can answer besides success:
the error answers (400, 401, 403, 404, 409, 429) with their JSON bodies, and the ETag header
of one part. The view sets use ``ApiSchema``; ``tests/integration/api/
test_openapi_conformance.py`` checks the description against the API with schemathesis."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong"}},
    "required": ["detail"],
}
INVALID = {
    "type": "object",
    "description": "Each invalid field (or query parameter) with its messages; "
    "`non_field_errors` for the whole request",
    "additionalProperties": True,
    "minProperties": 1,
}
ETAG = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "The part's revision; send it back in If-Match when changing the part",
        "required": True,
    }
}
STORED_ETAG = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "When the part changed since If-Match: its revision now",
    }
}
ERRORS = {
    "400": ("Invalid request: the body names each invalid field or parameter", INVALID),
    "401": ("No valid credentials (send your token)", DETAIL),
    "403": ("Your role in the team is not strong enough", DETAIL),
    "404": ("No such object in your teams (or no such page)", DETAIL),
    "409": ("The version's status, or a change made meanwhile, does not allow this", DETAIL),
    "429": ("Too many requests; wait as long as Retry-After says", DETAIL),
}


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give; a body
    described by a JSON Schema given as it is (a trip file) is required."""

    def _get_request_for_media_type(self, serializer: Any, direction: str = "request") -> Any:
        schema, required = super()._get_request_for_media_type(serializer, direction)
        return schema, required or isinstance(serializer, dict)

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self.error_codes():
            description, body = ERRORS[code]
            response = responses.setdefault(code, {"description": description})
            response.setdefault("content", {"application/json": {"schema": body}})
        if self.shows_one_part():
            for code, header in (("200", ETAG), ("409", STORED_ETAG)):
                if code in responses:
                    responses[code].setdefault("headers", {}).update(header)
        return responses

    def error_codes(self) -> list[str]:
        """The error status codes this operation can answer."""
        unsafe = self.method not in SAFE_METHODS
        listing = self._is_list_view() and self.method == "GET"
        has_path = "{" in self.path
        codes = []
        if unsafe or listing:
            codes.append("400")
        if self.get_auth():
            codes.append("401")
        if unsafe and self.get_auth():
            codes += ["403", "404", "409"]
        if listing or has_path:
            codes.append("404")
        if getattr(self.view, "throttle_classes", None):
            codes.append("429")
        return sorted(set(codes) - ({"400"} if self.method == "DELETE" else set()))

    def shows_one_part(self) -> bool:
        return bool(getattr(self.view, "model", None)) and "{" in self.path


# What the format's JSON Schemas hold that OpenAPI 3.0 has no place for in an inlined schema.
NOT_OPENAPI = frozenset({"$schema", "$id", "$defs"})


def inlined(
    node: Any,
    definitions: dict[str, Any],
    *,
    keep_format: bool,
    merge_siblings: bool,
) -> Any:
    """A JSON Schema ``node`` in OpenAPI 3.0's terms: every ``#/$defs/`` reference replaced by
    the definition it names (from ``definitions``), a ``const`` as a one-value ``enum``, no
    ``$schema``, ``$id`` or ``$defs``. ``keep_format``: a ``format`` stays (else it is left
    out, when the format's own checks do not check it and the description must not promise
    it); ``merge_siblings``: what a reference says beside it (its own description) is kept
    over the definition's (else the definition alone)."""

    def inline(part: Any) -> Any:
        if isinstance(part, list):
            return [inline(p) for p in part]
        if not isinstance(part, dict):
            return part
        if "$ref" in part:
            named = definitions[part["$ref"].removeprefix("#/$defs/")]
            if merge_siblings:
                named = {**named, **{k: v for k, v in part.items() if k != "$ref"}}
            return inline(named)
        out = {}
        for key, value in part.items():
            if key == "const":
                out["enum"] = [value]
            elif key not in NOT_OPENAPI and (keep_format or key != "format"):
                out[key] = inline(value)
        return out

    return inline(node)


#: What the API's date fields accept (DRF's DateField, ISO 8601 days only). JSON Schema's
#: ``format: date`` is only an annotation, so without the pattern "1923" would be a valid
#: request by the description and refused by the API (schemathesis ST202).
DAY = r"^\d{4}-\d{2}-\d{2}$"


def state_date_patterns(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: every ``format: date`` string also carries the day's pattern."""

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("format") == "date":
                node.setdefault("pattern", DAY)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result
