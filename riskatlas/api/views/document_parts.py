"""Every kind of part of a version in the interchange document's own form (see
``riskatlas.api.document_parts``): one list and one part address per kind, each described
with the format's own schema of that kind.

Reading follows the team rules of every other route (readers see published versions only;
another team's is 404). A change needs the analyst role (403) and a draft (409); it is the
version's document with the part added, replaced or removed, stored by the single writer,
with each row written audited under the request's user (``via`` = ``api``). A part read
carries its revision as its ETag (the same revision as the part's own route, such as
``/api/v1/risks/{id}/``); a replacement sent with an older one in ``If-Match`` is refused
(409, both values in the body) and nothing is saved."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from riskatlas.api.access import API, Conflict, VersionFrozen, version_to_change, visible_versions
from riskatlas.api.changes import if_match
from riskatlas.api.document_parts import DocumentKind, body_problems, document_kinds
from riskatlas.api.schema import ApiSchema
from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.interchange.registry import items_in
from riskatlas.apps.assessments.models import (
    AssessmentVersion,
    FrozenVersionError,
    VersionLockedError,
)
from riskatlas.apps.assessments.revisions import EditedMeanwhile, check_unchanged, revision
from riskatlas.apps.audit.context import acting_as

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Assessment slug")
NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="Version number")
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The part's ETag as read; a part changed since is not overwritten (409)",
)
REFUSED = (
    "The version is in review, or approved or published; or the part names what the version "
    "does not have, repeats an id, is too long to store, or is still named by other parts "
    "(`problems` lists each, with its place in the document); or it changed since the ETag "
    "sent in If-Match (the body holds `stored` and `yours`). Nothing was saved."
)


def _readable(request: Request, slug: str, number: int) -> AssessmentVersion:
    version = (
        visible_versions(request.user)
        .filter(assessment__slug=slug, number=number)
        .select_related("assessment")
        .first()
    )
    if version is None:
        raise NotFound()
    return version


def _position(kind: DocumentKind, items: list[dict[str, Any]], item: str | int) -> int:
    """Where the part named ``item`` is in its list (404 if it is not there)."""
    if kind.identity is None:
        number = int(item)
        if 1 <= number <= len(items):
            return number - 1
    else:
        for i, found in enumerate(items):
            if found.get(kind.identity) == item:
                return i
    raise NotFound(f"no {kind.label} {item!r} in this version")


def _row(kind: DocumentKind, version: AssessmentVersion, position: int) -> Model:
    """The stored row of the part at ``position`` (the document lists rows in their order)."""
    return kind.mapper.rows(version)[position]


def _etag(row: Model) -> str:
    return f'"{revision(row)}"'


def _checked(kind: DocumentKind, body: Any, *, replacing: bool) -> dict[str, Any]:
    """The request's part, or 400 naming each field the description refuses."""
    schema = kind.change_schema() if replacing else kind.item_schema()
    problems = body_problems(schema, body)
    if problems:
        raise ValidationError(problems)
    part: dict[str, Any] = body
    return part


def _store(
    version: AssessmentVersion,
    request: Request,
    change: Any,
    seen_row: Model | None = None,
) -> dict[str, Any]:
    """Apply ``change`` (document → None) to the version's document and store it through the
    single writer; the stored document is returned."""
    seen = if_match(request, seen_row) if seen_row is not None else None
    try:
        with transaction.atomic(), acting_as(request.user, API):
            locked = AssessmentVersion.objects.select_for_update().get(pk=version.pk)
            writer.require_editable(locked)
            if seen is not None:
                check_unchanged(seen)
            doc = export_version(locked)
            change(doc)
            writer.import_document(doc, team=locked.assessment.team)
    except (FrozenVersionError, VersionLockedError) as exc:
        raise VersionFrozen(str(exc)) from exc
    except writer.ChangeRefused as exc:
        raise Conflict(
            {
                "detail": str(exc),
                "problems": [
                    {"at": ".".join(str(p) for p in problem.path), "message": problem.message}
                    for problem in exc.problems
                ],
            }
        ) from exc
    return export_version(version)


def _section_of(doc: dict[str, Any], kind: DocumentKind) -> list[dict[str, Any]]:
    """The document's list of the kind, made if the document leaves it out."""
    *path, key = kind.section
    place = doc
    for step in path:
        place = place.setdefault(step, {})
    items: list[dict[str, Any]] = place.setdefault(key, [])
    return items


class DocumentPartSchema(ApiSchema):
    """A part's body is described with the format's schema as given (not a serializer), and
    it is required."""

    def _get_request_for_media_type(self, serializer: Any, direction: str = "request") -> Any:
        schema, required = super()._get_request_for_media_type(serializer, direction)
        return schema, required or isinstance(serializer, dict)


class PartsOfKind(APIView):
    """The parts of one kind in a version: read them all, or add one (analysts, drafts)."""

    schema = DocumentPartSchema()
    parser_classes = [JSONParser]
    kind: DocumentKind

    def get(self, request: Request, slug: str, number: int) -> Response:
        version = _readable(request, slug, number)
        return Response(items_in(export_version(version), self.kind.section))

    def post(self, request: Request, slug: str, number: int) -> Response:
        version = version_to_change(request.user, slug, number)
        part = _checked(self.kind, request.data, replacing=False)
        doc = _store(version, request, lambda d: _section_of(d, self.kind).append(part))
        items = items_in(doc, self.kind.section)
        position = len(items) - 1
        return Response(
            items[position], status=201, headers={"ETag": _etag(_row(self.kind, version, position))}
        )


class OnePart(APIView):
    """One part: read it, replace it or delete it (analysts, drafts)."""

    schema = DocumentPartSchema()
    parser_classes = [JSONParser]
    kind: DocumentKind
    model: type[Model]  # the description shows the ETag of one part

    def get(self, request: Request, slug: str, number: int, item: Any) -> Response:
        version = _readable(request, slug, number)
        items = items_in(export_version(version), self.kind.section)
        position = _position(self.kind, items, item)
        row = _row(self.kind, version, position)
        return Response(items[position], headers={"ETag": _etag(row)})

    def put(self, request: Request, slug: str, number: int, item: Any) -> Response:
        version = version_to_change(request.user, slug, number)
        items = items_in(export_version(version), self.kind.section)
        position = _position(self.kind, items, item)
        row = _row(self.kind, version, position)
        part = dict(_checked(self.kind, request.data, replacing=True))
        if self.kind.identity is not None:
            part = {self.kind.identity: item, **part}

        def replace(doc: dict[str, Any]) -> None:
            _section_of(doc, self.kind)[position] = part

        try:
            doc = _store(version, request, replace, seen_row=row)
        except EditedMeanwhile as clash:
            stored = items_in(export_version(version), self.kind.section)
            body = {
                "detail": str(clash),
                "stored": stored[position] if position < len(stored) else None,
                "yours": request.data,
            }
            return Response(body, status=409, headers={"ETag": f'"{clash.current}"'})
        shown = items_in(doc, self.kind.section)[position]
        return Response(shown, headers={"ETag": _etag(_row(self.kind, version, position))})

    def delete(self, request: Request, slug: str, number: int, item: Any) -> Response:
        version = version_to_change(request.user, slug, number)
        items = items_in(export_version(version), self.kind.section)
        position = _position(self.kind, items, item)
        _store(version, request, lambda doc: _section_of(doc, self.kind).pop(position))
        return Response(status=204)


def _item_parameter(kind: DocumentKind) -> OpenApiParameter:
    if kind.identity is None:
        return OpenApiParameter(
            "item", int, OpenApiParameter.PATH, description=f"The part's number in {kind.label}"
        )
    return OpenApiParameter(
        "item", str, OpenApiParameter.PATH, description=f"The part's `{kind.identity}`"
    )


def views_of(kind: DocumentKind) -> tuple[type[APIView], type[APIView]]:
    """The list view and the one-part view of ``kind``, each described with its schema."""
    name = "".join(word.title() for word in kind.slug.split("-"))
    item = kind.item_schema()
    many = {"type": "array", "items": item}
    tag = ["document parts"]
    listing = extend_schema(
        operation_id=f"parts_{kind.slug.replace('-', '_')}_list",
        summary=f"The version's {kind.label}, as in its document",
        parameters=[SLUG, NUMBER],
        responses={200: OpenApiResponse(response=many, description=f"Every {kind.label} part")},
        tags=tag,
    )
    adding = extend_schema(
        operation_id=f"parts_{kind.slug.replace('-', '_')}_add",
        summary=f"Add to {kind.label} (analysts, drafts)",
        parameters=[SLUG, NUMBER],
        request={"application/json": item},
        responses={
            201: OpenApiResponse(response=item, description="Added, as stored"),
            409: OpenApiResponse(description=REFUSED),
        },
        tags=tag,
    )
    one = _item_parameter(kind)
    reading = extend_schema(
        operation_id=f"parts_{kind.slug.replace('-', '_')}_read",
        summary=f"One of {kind.label}",
        parameters=[SLUG, NUMBER, one],
        responses={200: OpenApiResponse(response=item, description="The part")},
        tags=tag,
    )
    replacing = extend_schema(
        operation_id=f"parts_{kind.slug.replace('-', '_')}_replace",
        summary=f"Replace one of {kind.label} (analysts, drafts)",
        parameters=[SLUG, NUMBER, one, IF_MATCH],
        request={"application/json": kind.change_schema()},
        responses={
            200: OpenApiResponse(response=item, description="Replaced, as stored"),
            409: OpenApiResponse(description=REFUSED),
        },
        tags=tag,
    )
    deleting = extend_schema(
        operation_id=f"parts_{kind.slug.replace('-', '_')}_delete",
        summary=f"Delete one of {kind.label}, with its evidence (analysts, drafts)",
        parameters=[SLUG, NUMBER, one],
        responses={
            204: OpenApiResponse(description="Deleted"),
            409: OpenApiResponse(description=REFUSED),
        },
        tags=tag,
    )
    listed = type(
        f"{name}Parts",
        (PartsOfKind,),
        {
            "kind": kind,
            "get": listing(_own(PartsOfKind.get)),
            "post": adding(_own(PartsOfKind.post)),
        },
    )
    single = type(
        f"One{name}Part",
        (OnePart,),
        {
            "kind": kind,
            "model": kind.mapper.model,
            "get": reading(_own(OnePart.get)),
            "put": replacing(_own(OnePart.put)),
            "delete": deleting(_own(OnePart.delete)),
        },
    )
    return listed, single


def _own(method: Any) -> Any:
    """A function of its own that calls ``method`` (each kind's is described on its own)."""

    def handler(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        return method(self, request, *args, **kwargs)

    handler.__name__ = method.__name__
    handler.__doc__ = method.__doc__
    return handler


def document_part_routes() -> list[URLPattern]:
    """Under ``assessments/<slug>/versions/``: each kind's list and one part (named by its id,
    or by its number for kinds without one)."""
    routes = []
    for slug, kind in document_kinds().items():
        listed, single = views_of(kind)
        item = "<int:item>" if kind.identity is None else "<slug:item>"
        routes += [
            path(f"<int:number>/parts/{slug}/", listed.as_view(), name=f"part-{slug}-list"),
            path(
                f"<int:number>/parts/{slug}/{item}/", single.as_view(), name=f"part-{slug}-detail"
            ),
        ]
    return routes
