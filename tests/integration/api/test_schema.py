"""The OpenAPI description: valid, complete (every route under /api/ with every method it
answers), generated without warnings, and its viewer pages use only local assets."""

from __future__ import annotations

import copy
import functools
import re

import pytest
import yaml
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from openapi_spec_validator import validate

from tests.integration.api.routes import api_routes

pytestmark = pytest.mark.django_db

# The description itself and the pages that show it are not API operations.
# Nor is the JSON 404 for any other address under /api/v1/.
NOT_DESCRIBED = {"api:schema", "api:docs", "api:not-found"}


def _shape(template: str) -> str:
    """ "/api/v1/risks/{pk}/" and "/api/v1/risks/{id}/" are the same route."""
    return re.sub(r"{\w+}", "{}", template)


@functools.cache
def _served() -> tuple[int, dict, tuple[str, ...]]:
    """The description as the server gives it (its status, read) and what the generator
    complained of. Made once a run: the code makes it, not the database (1.5 s a time)."""
    GENERATOR_STATS.reset()
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    warnings = dict(GENERATOR_STATS._warn_cache) | dict(GENERATOR_STATS._error_cache)
    return response.status_code, yaml.safe_load(response.content), tuple(warnings)


@pytest.fixture
def description() -> dict:
    status, spec, warnings = _served()
    assert status == 200
    assert not warnings, f"the schema generator complained: {list(warnings)}"
    return copy.deepcopy(spec)


def test_the_description_is_valid_openapi_3(description: dict):
    assert description["openapi"].startswith("3.")
    validate(description)


def test_the_description_lists_every_api_route_and_method(description: dict):
    described = {
        _shape(path): {m.upper() for m in item if m in ("get", "post", "put", "patch", "delete")}
        for path, item in description["paths"].items()
    }
    routes = [r for r in api_routes() if r.name not in NOT_DESCRIBED]
    assert len(routes) >= 14
    missing = [r.template for r in routes if _shape(r.template) not in described]
    assert not missing, f"routes without a description: {missing}"
    wrong = {
        r.template: (sorted(r.methods), sorted(described[_shape(r.template)]))
        for r in routes
        if described[_shape(r.template)] != r.methods
    }
    assert not wrong, f"methods answered vs described: {wrong}"
    extra = set(described) - {_shape(r.template) for r in routes}
    assert not extra, f"described but not routed: {extra}"


def test_the_description_says_how_to_authenticate(description: dict):
    schemes = description["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["in"] == "header"
    token_post = description["paths"]["/api/v1/token/"]["post"]
    assert "security" not in token_post  # the one route that needs no credentials
    assert token_post["tags"] == ["token"]
    risk_get = description["paths"]["/api/v1/risks/"]["get"]
    assert {"tokenAuth": []} in risk_get["security"]
    names = {p["name"] for p in risk_get["parameters"]}
    assert {"assessment", "version", "category", "area", "residual_level", "page"} <= names


def test_json_description_too():
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "riskatlas API"


@pytest.mark.parametrize("page", ["/api/docs/"])
def test_viewer_pages_load_their_assets_from_this_server(page: str):
    html = Client().get(page).content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert assets, "the page loads no script or style"
    assert all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        response = Client().get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        # The viewers' own bundles are large; riskatlas's small stylesheet is its own.
        assert len(body) > 1000 or asset.startswith("/static/riskatlas/"), asset
    # Swagger UI's start-up script is a file of its own (no inline script under the CSP).
    start = Client().get(page + "?script=").content.decode() if page == "/api/docs/" else ""
    assert "/api/schema/" in html + start


def test_every_date_field_states_the_days_it_accepts(description: dict):
    # "format: date" alone is an annotation in JSON Schema: schemathesis found "1923" valid by
    # the description and refused by the API (a source's date).
    dates = [
        (name, prop, value)
        for name, schema in description["components"]["schemas"].items()
        for prop, value in (schema.get("properties") or {}).items()
        if value.get("format") == "date"
    ]
    assert ("SourceRequest", "date") in {(n, p) for n, p, _ in dates}
    assert all(value.get("pattern") == r"^\d{4}-\d{2}-\d{2}$" for _, _, value in dates), dates
    assert not re.match(dates[0][2]["pattern"], "1923")


def test_trips_are_made_and_replaced_with_the_trip_files_own_schema(description: dict):
    from riskatlas.travel.files import schema

    trip_file = schema("trip")
    for path, method in [("/api/v1/trips/", "post"), ("/api/v1/trips/{id}/", "put")]:
        operation = description["paths"][path][method]
        body = operation["requestBody"]
        assert body["required"], path
        sent = body["content"]["application/json"]["schema"]
        assert sent["required"] == trip_file["required"] and not sent["additionalProperties"]
        assert sent["properties"]["riskatlas_trip"]["enum"] == [1]
        segment = sent["properties"]["segments"]["items"]["properties"]
        assert segment["area"]["pattern"] == trip_file["$defs"]["iso"]["pattern"]
        problems = operation["responses"]["400"]["content"]["application/json"]["schema"]
        assert problems["properties"]["problems"]["items"]["required"] == ["at", "path", "message"]
    deleting = description["paths"]["/api/v1/trips/{id}/"]["delete"]["responses"]
    assert {"204", "403", "404", "409"} <= set(deleting)


def test_a_trip_read_gives_its_etag_and_its_changes_take_if_match(description: dict):
    trip = description["paths"]["/api/v1/trips/{id}/"]
    for path, method in [("/api/v1/trips/{id}/", "get"), ("/api/v1/trips/{id}/file/", "get")]:
        headers = description["paths"][path][method]["responses"]["200"]["headers"]
        assert headers["ETag"]["required"], path
    for method in ("put", "delete"):
        names = {p["name"] for p in trip[method]["parameters"] if p["in"] == "header"}
        assert "If-Match" in names, method
        refused = trip[method]["responses"]["409"]
        assert "If-Match" in refused["description"] and "ETag" in refused["headers"], method
    assert "headers" not in description["paths"]["/api/v1/trips/"]["get"]["responses"]["200"]
