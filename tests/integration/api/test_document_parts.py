"""Every kind of part the interchange format has can be created, changed and deleted through
the API, and has an edit page.

The kinds are read from the format's published JSON Schema itself (not from the API's own
list): each top-level list of objects and each list inside a top-level object, except the
version's own details (``assessment`` and ``matrix``, changed on the details page). A kind
added to the schema without an API route or an edit page fails here. Evidence, a list inside
the parts it is filed under, is added, changed and removed through each kind that has it.

The walk runs as team A's analyst on the draft version 2 of the ``everything`` fixture (a
document with every field of the format) and checks each step in the exported document, as a
user of the API or of ``riskatlas export`` would see it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riskatlas.apps.assessments.forms import PART_KINDS
from riskatlas.apps.assessments.interchange import PART_MAPPERS, export_version
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.intelligence.models import Source
from tests.integration.api.conftest import A_SLUG, World

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[3] / "riskatlas/document/schema/assessment.schema.json"
VERSION_DETAILS = {"assessment", "matrix"}
BASE = f"/api/v1/assessments/{A_SLUG}/versions/2/parts"
# The text field each kind's change rewrites (the first the kind has).
TEXTS = ("title", "name", "summary", "text", "level", "description")


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text("utf-8"))


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def _is_list_of_objects(schema: dict[str, Any], node: dict[str, Any]) -> bool:
    node = _resolve(schema, node)
    return node.get("type") == "array" and _resolve(schema, node["items"]).get("type") == "object"


def schema_kinds() -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """(section, item schema) of every list of parts in the format's schema."""
    schema = _schema()
    found: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    for key, node in schema["properties"].items():
        if key in VERSION_DETAILS:
            continue
        if _is_list_of_objects(schema, node):
            found.append(((key,), _resolve(schema, _resolve(schema, node)["items"])))
        elif _resolve(schema, node).get("type") == "object":
            for inner, child in _resolve(schema, node)["properties"].items():
                if _is_list_of_objects(schema, child):
                    item = _resolve(schema, _resolve(schema, child)["items"])
                    found.append(((key, inner), item))
    return found


KINDS = schema_kinds()


def test_the_schema_is_walked_whole():
    """The walk is not vacuous: it finds the format's sixteen kinds, exposure's four among
    them, and evidence inside parts of several kinds."""
    sections = [s for s, _ in KINDS]
    assert len(sections) == 16
    assert ("exposure", "routes") in sections and ("official_advice",) in sections
    with_evidence = [s for s, item in KINDS if "evidence" in item["properties"]]
    assert ("risks",) in with_evidence and len(with_evidence) >= 8


def _items(version: AssessmentVersion, section: tuple[str, ...]) -> list[dict[str, Any]]:
    found: Any = export_version(version)
    for key in section:
        found = found.get(key) or {}
    return list(found or [])


def _identity(item_schema: dict[str, Any]) -> str | None:
    for key in ("id", "code"):
        if key in item_schema.get("required", []):
            return key
    return None


def _new_item(section: tuple[str, ...], first: dict[str, Any], key: str | None) -> dict[str, Any]:
    """A new part of the kind: the version's first one under a fresh id, without its
    evidence; where a kind is one per something (a threat per category, an ISO area per
    code), a new something."""
    item = {k: v for k, v in copy.deepcopy(first).items() if k != "evidence"}
    if key == "code" and section == ("mitigations",):
        item["code"] = "WALK-NEW"
    elif key == "code":  # a custom area, made of regions
        item.update(code="walk-new", name="Walked area", parts=["PE-LMA"])
    elif key is not None:
        item[key] = "walk-new"
    if section == ("threats",):
        item["category"] = "KID"
    return item


def _address(slug: str, item: dict[str, Any], key: str | None, position: int) -> str:
    return f"{BASE}/{slug}/{item[key] if key else position + 1}/"


@pytest.mark.parametrize(("section", "item_schema"), KINDS, ids=["-".join(s) for s, _ in KINDS])
def test_every_kind_is_created_changed_and_deleted_through_the_api(
    world: World, section: tuple[str, ...], item_schema: dict[str, Any]
):
    client = world.client("a-analyst")
    version = AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=2)
    slug = "-".join(section).replace("_", "-")
    key = _identity(item_schema)
    before = _items(version, section)
    audited = AuditEntry.objects.filter(username="a-analyst", via="api").count()
    assert before, f"the fixture has no {section} to start from"

    listed = client.get(f"{BASE}/{slug}/")
    assert listed.status_code == 200, f"no API route for {section}: {listed.content[:300]!r}"
    assert listed.json() == before

    # Created: it is in the document, at the end of its list.
    new = _new_item(section, before[0], key)
    made = client.post(f"{BASE}/{slug}/", new, format="json")
    assert made.status_code == 201, made.content
    assert made.json() == new
    assert _items(version, section) == [*before, new]
    url = _address(slug, new, key, len(before))
    read = client.get(url)
    assert read.status_code == 200 and read.json() == new
    tag = read["ETag"]

    # Changed: one text rewritten; the ETag read before is then out of date.
    field = next(f for f in TEXTS if isinstance(new.get(f), str) and f != key)
    body = {k: v for k, v in new.items() if k != key}
    body[field] = "Changed through the API"
    changed = client.put(url, body, format="json", HTTP_IF_MATCH=tag)
    assert changed.status_code == 200, changed.content
    assert changed.json()[field] == "Changed through the API"
    assert _items(version, section)[-1][field] == "Changed through the API"
    assert changed["ETag"] != tag
    stale = client.put(url, {**body, field: "Lost update"}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 409, stale.content
    assert stale.json()["stored"][field] == "Changed through the API"
    assert _items(version, section)[-1][field] == "Changed through the API"

    # Evidence filed under it: added, changed, removed with the part.
    if "evidence" in item_schema["properties"]:
        cited = {"source": "press", "credibility": 2, "quote": "Seen by the walk."}
        body["evidence"] = [cited]
        response = client.put(url, body, format="json")
        assert response.status_code == 200, response.content
        assert _items(version, section)[-1]["evidence"] == [cited]
        body["evidence"] = [{**cited, "credibility": 5}]
        assert client.put(url, body, format="json").status_code == 200
        assert _items(version, section)[-1]["evidence"] == [{**cited, "credibility": 5}]
        del body["evidence"]
        assert client.put(url, body, format="json").status_code == 200
        assert "evidence" not in _items(version, section)[-1]

    # Deleted: the document is as it was.
    gone = client.delete(url)
    assert gone.status_code == 204, gone.content
    assert _items(version, section) == before
    if key is not None:
        assert client.get(url).status_code == 404

    # Each change (made, changed, deleted, and the evidence's) was audited as the analyst's,
    # through the API.
    assert AuditEntry.objects.filter(username="a-analyst", via="api").count() >= audited + 3


@pytest.mark.parametrize(("section", "item_schema"), KINDS, ids=["-".join(s) for s, _ in KINDS])
def test_every_kind_has_an_edit_page(
    world: World, section: tuple[str, ...], item_schema: dict[str, Any]
):
    """Each kind's list of parts and each part's form open for the analyst, showing the
    part; evidence's page is the risk's **Cite a source**."""
    from django.contrib.auth import get_user_model

    browser = Client()
    browser.force_login(get_user_model().objects.get(username="a-analyst"))
    version = AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=2)
    mapper = next((m for m in PART_MAPPERS if m.section == section), None)
    assert mapper is not None, f"{section} is not stored"
    page_kind = next((k for k in PART_KINDS.values() if k.model is mapper.model), None)
    assert page_kind is not None, f"no edit page for {section}"
    urls = {"slug": A_SLUG, "number": 2, "kind": page_kind.slug}
    listing = browser.get(reverse("assessments:edit_parts", kwargs=urls))
    assert listing.status_code == 200
    part = mapper.rows(version)[0]
    form = browser.get(reverse("assessments:edit_part", kwargs={**urls, "pk": part.pk}))
    assert form.status_code == 200
    assert str(part).split("\n")[0][:30] in form.content.decode()
    assert browser.get(reverse("assessments:edit_part_new", kwargs=urls)).status_code == 200
    if section == ("risks",):
        cite = reverse(
            "assessments:cite_source", kwargs={"slug": A_SLUG, "number": 2, "pk": part.pk}
        )
        assert browser.get(cite).status_code == 200
    assert Source.objects.filter(version=version).exists()
