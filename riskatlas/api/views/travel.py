"""Trips (with their segments, travellers and approvals), travellers, approvals, check-ins
and calls for help of your teams; a trip's check, its trip file, and the workflow steps
(request, decide, cancel) as actions. Trips are made (POST), replaced (PUT, drafts and
reopened trips) and deleted (DELETE, drafts) with a trip file (``riskatlas.api.trip_files``).
The same rules as the pages (``apps.travel.access``): another team's trips are 404, contact
details only for those who may see them, check-ins and calls for help only to whoever the
care pages show them (``access.check_ins_for``, ``care.access.help_calls_for``), changing
and requesting need the analyst role, deciding an approver role of the trip's team and its
turn (409 when the trip's state or the four-eyes rule does not allow it). A trip read (and
its trip file) carries an ETag; a PUT or DELETE with an older one in If-Match is refused
with 409, as the document parts' changes are."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from riskatlas.api import trip_files
from riskatlas.api.access import API, Conflict, analyst_team
from riskatlas.api.changes import if_match_tags
from riskatlas.api.filters import HelpCallFilter
from riskatlas.api.schema import STORED_ETAG, ApiSchema
from riskatlas.apps.audit.context import acting_as
from riskatlas.apps.care.access import help_calls_for
from riskatlas.apps.care.models import HelpCall
from riskatlas.apps.travel import access, deciding, workflow
from riskatlas.apps.travel.interchange import export_for
from riskatlas.apps.travel.models import Approval, CheckIn, Traveller, Trip
from riskatlas.apps.travel.serializers import (
    ApprovalSerializer,
    CheckInSerializer,
    DecisionSerializer,
    HelpCallSerializer,
    TravellerSerializer,
    TripSerializer,
)


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    schema = ApiSchema()
    parser_classes = [JSONParser]
    filter_backends: list[Any] = []


TRIP_FILE = trip_files.trip_file_schema()
TEAM = OpenApiParameter(
    "team",
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    OpenApiParameter.QUERY,
    description="The team's slug; needed only when you are an analyst in several",
)
BAD_FILE = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": True,
        "minProperties": 1,
        "properties": {
            "detail": {"type": "string"},
            "problems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["at", "path", "message"],
                    "properties": {
                        "at": {"type": "string", "description": "segments[1].start"},
                        "path": {
                            "type": "array",
                            "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                        },
                        "message": {"type": "string"},
                    },
                },
            },
        },
    },
    description="The trip file has problems: `problems` lists each, `at` its place "
    "(`segments[1].start`), `path` the same as a list, and `message`; nothing was saved. "
    "(Or `team` names none of your teams, or you are an analyst in several and named none.)",
)


TRIP_ETAG = {
    "ETag": {
        "schema": {"type": "string"},
        "description": "The trip's revision as you read it; send it back in If-Match with a "
        "PUT or DELETE",
        "required": True,
    }
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The trip's ETag as read (from the trip or its trip file); a trip changed "
    "since is neither replaced nor deleted (409)",
)
CHANGED_MEANWHILE = (
    "; or the trip changed since the ETag sent in If-Match (the body holds `stored`; nothing "
    "was saved, and the ETag header is the trip's now)"
)
# The operations whose 200 answers one trip as you read it, with its ETag.
SHOWS_TRIP = {"retrieve", "file", "update", "request_approval", "decide", "cancel"}


class TripSchema(ApiSchema):
    """The description's ETag headers of a trip's answers, and of a refused If-Match."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        action = getattr(self.view, "action", None)
        if action in SHOWS_TRIP and "200" in responses:
            responses["200"].setdefault("headers", {}).update(TRIP_ETAG)
        if action in ("update", "destroy") and "409" in responses:
            responses["409"].setdefault("headers", {}).update(STORED_ETAG)
        return responses


# What a trip file cannot change (interchange.save_trip).
HIDDEN_CONTACTS = (
    "A stored traveller's contact details you may not see are ignored in the file (left out "
    "or written in: they stay as stored, and the answer is the same either way); a new "
    "traveller's are taken as written."
)


@extend_schema_view(
    list=extend_schema(summary="Trips of your teams"),
    retrieve=extend_schema(summary="One trip: segments, travellers, approvals, decision"),
    create=extend_schema(
        summary="Make a trip from a trip file (analysts)",
        description="The body is a trip file (`riskatlas_trip: 1`, as `riskatlas trip check` "
        "reads and the trip pages import), checked whole by the same checks. The trip is "
        "made as a draft in your team, with its travellers' profiles made or updated by their "
        "`id`. " + HIDDEN_CONTACTS,
        parameters=[TEAM],
        request={"application/json": TRIP_FILE},
        responses={
            201: TripSerializer,
            400: BAD_FILE,
            403: OpenApiResponse(description="You are not an analyst of the team"),
            409: OpenApiResponse(
                description="The team has a trip with this id already (`trip` is its id)"
            ),
        },
    ),
    update=extend_schema(
        summary="Replace a trip's itinerary and travellers from a trip file (analysts)",
        description="While the trip is a draft or reopened (as the pages' import); the file's "
        "`trip.id` is the "
        "trip's. " + HIDDEN_CONTACTS + " "
        "A file that says what is stored already changes nothing (200, the trip as it was). "
        "Send the ETag you read in If-Match so as not to overwrite a change made meanwhile.",
        parameters=[IF_MATCH],
        request={"application/json": TRIP_FILE},
        responses={
            200: TripSerializer,
            400: BAD_FILE,
            403: OpenApiResponse(description="You are not an analyst of the trip's team"),
            409: OpenApiResponse(
                description="The trip is requested, decided or cancelled: what its approvals "
                "rest on does not change here" + CHANGED_MEANWHILE
            ),
        },
    ),
    destroy=extend_schema(
        summary="Delete a draft trip (analysts)",
        parameters=[IF_MATCH],
        responses={
            204: OpenApiResponse(description="Deleted, with its segments"),
            403: OpenApiResponse(description="You are not an analyst of the trip's team"),
            409: OpenApiResponse(
                description="The trip was requested at least once: cancel it instead"
                + CHANGED_MEANWHILE
            ),
        },
    ),
)
class TripViewSet(ReadOnly):
    schema = TripSchema()
    serializer_class = TripSerializer

    def _shown(self, trip: Trip, status: int = 200) -> Response:
        """The trip as stored now, with its ETag."""
        trip = self.get_queryset().get(pk=trip.pk)
        return Response(
            TripSerializer(trip, context=self.get_serializer_context()).data,
            status=status,
            headers={"ETag": trip_files.etag(self.request.user, trip)},
        )

    def _changed_meanwhile(self, clash: trip_files.ChangedMeanwhile, **yours: Any) -> Response:
        """409: the trip as stored now (and what was sent), its ETag now; nothing saved."""
        stored = self._shown(clash.trip)
        body = {"detail": str(clash), "stored": stored.data, **yours}
        return Response(body, status=409, headers={"ETag": stored["ETag"]})

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._shown(self.get_object())

    def create(self, request: Request) -> Response:
        team = analyst_team(request.user, request.query_params.get("team"), "making a trip")
        trip = trip_files.create(request.user, team, request.data)
        response = self._shown(trip, status=201)
        response["Location"] = reverse("api:trip-detail", args=[trip.pk], request=request)
        return response

    def update(self, request: Request, pk: str) -> Response:
        trip = self.get_object()
        if not access.may_edit(request.user, trip.team_id):
            raise PermissionDenied("changing a trip needs the analyst role in its team")
        seen = if_match_tags(request)
        try:
            return self._shown(trip_files.replace(request.user, trip, request.data, seen))
        except trip_files.ChangedMeanwhile as clash:
            return self._changed_meanwhile(clash, yours=request.data)

    def destroy(self, request: Request, pk: str) -> Response:
        trip = self.get_object()
        if not access.may_edit(request.user, trip.team_id):
            raise PermissionDenied("deleting a trip needs the analyst role in its team")
        try:
            trip_files.delete(request.user, trip, if_match_tags(request))
        except trip_files.ChangedMeanwhile as clash:
            return self._changed_meanwhile(clash)
        return Response(status=204)

    def get_queryset(self) -> QuerySet[Trip]:
        return (
            access.trips_for(self.request.user)
            .select_related("requested_by", "decided_by")
            .prefetch_related("travellers__team", "segments", "approvals__user")
            .order_by("-created_at", "-pk")
        )

    def _conflict(self, step: Any) -> Response:
        trip = self.get_object()
        try:
            with acting_as(self.request.user, API):
                step(trip)
        except workflow.TripWorkflowError as exc:
            raise Conflict(str(exc)) from exc
        return self._shown(trip)

    @extend_schema(
        summary="The trip checked now",
        description="As `riskatlas trip check --format json`: per segment the areas, levels, "
        "risks and rules that fired; approvals, measures, warnings and the fingerprint.",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def check(self, request: Request, pk: str) -> Response:
        trip = self.get_object()
        if not deciding.has_itinerary(trip):
            raise Conflict("the trip has no traveller or no segment yet")
        return Response(deciding.check(trip).as_dict())

    @extend_schema(
        summary="The trip as a trip file (riskatlas_trip: 1)",
        description="Contact details only when you may see them (a traveller's own, or all "
        "for the team's approvers and admins). Its ETag is the trip's: "
        "send it in If-Match when you PUT the file back.",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def file(self, request: Request, pk: str) -> Response:
        trip = self.get_object()
        return Response(
            export_for(request.user, trip),
            headers={"ETag": trip_files.etag(request.user, trip)},
        )

    @extend_schema(
        summary="Request approval",
        description="The trip is checked and the approvals its policy asks for laid out in "
        "order (analyst role).",
        request=None,
        responses={200: TripSerializer},
    )
    @action(
        detail=True, methods=["post"], pagination_class=None, url_path="request", url_name="request"
    )
    def request_approval(self, request: Request, pk: str) -> Response:
        trip = self.get_object()
        if not access.may_edit(request.user, trip.team_id):
            raise PermissionDenied("requesting a trip needs the analyst role in its team")
        return self._conflict(lambda t: workflow.request(t, request.user))

    @extend_schema(
        summary="Sign the next approval",
        description="By a holder of the next step's approver role who neither requested the "
        "trip nor travels on it; a refusal decides the trip, the last approval approves it.",
        request=DecisionSerializer,
        responses={200: TripSerializer},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def decide(self, request: Request, pk: str) -> Response:
        trip = self.get_object()
        if not workflow.roles_held(request.user, trip.team):
            raise PermissionDenied("deciding on trips needs an approver role in the team")
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cd = body.validated_data
        return self._conflict(
            lambda t: workflow.decide(
                t, request.user, cd["decision"], cd["reason"], cd.get("conditions", "")
            )
        )

    @extend_schema(summary="Cancel the trip", request=None, responses={200: TripSerializer})
    @action(detail=True, methods=["post"], pagination_class=None)
    def cancel(self, request: Request, pk: str) -> Response:
        trip = self.get_object()
        if not access.may_edit(request.user, trip.team_id):
            raise PermissionDenied("cancelling a trip needs the analyst role in its team")
        return self._conflict(lambda t: workflow.cancel(t, request.user))


@extend_schema_view(
    list=extend_schema(summary="Traveller profiles of your teams"),
    retrieve=extend_schema(summary="One traveller profile"),
)
class TravellerViewSet(ReadOnly):
    serializer_class = TravellerSerializer

    def get_queryset(self) -> QuerySet[Traveller]:
        return access.travellers_for(self.request.user).order_by("team__slug", "name", "pk")


@extend_schema_view(
    list=extend_schema(summary="Approval steps of your teams' trips"),
    retrieve=extend_schema(summary="One approval step"),
)
class ApprovalViewSet(ReadOnly):
    serializer_class = ApprovalSerializer

    def get_queryset(self) -> QuerySet[Approval]:
        trips = access.trips_for(self.request.user).values("pk")
        return (
            Approval.objects.filter(trip__in=trips)
            .select_related("user")
            .order_by("trip_id", "superseded", "step", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Check-ins you may follow",
        description=(
            "The care pages' rule: every check-in of your teams' trips where you are a "
            "reviewer, an admin or hold an approver role, of the trips you requested, and "
            "your own as a traveller. A reader or an analyst sees no one else's."
        ),
    ),
    retrieve=extend_schema(summary="One check-in (404 if you may not follow it)"),
)
class CheckInViewSet(ReadOnly):
    serializer_class = CheckInSerializer

    def get_queryset(self) -> QuerySet[CheckIn]:
        return (
            access.check_ins_for(self.request.user)
            .select_related("traveller")
            .prefetch_related("help_calls__handled_by", "help_calls__traveller")
            .order_by("due_at", "trip_id", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="Calls for help you may follow",
        description=(
            "Every call for help ('I need help') of the trips whose check-ins you follow (the "
            "check-ins' rule), newest first: from a check-in's link, from the link of a check-in "
            "the schedule removed or in the web app (`check_in` null). `open=true` gives "
            "those not yet marked handled, `trip` one trip's. The traveller's `phone` is null "
            "unless you may see her contact details."
        ),
    ),
    retrieve=extend_schema(summary="One call for help (404 if you may not follow it)"),
)
class HelpCallViewSet(ReadOnly):
    serializer_class = HelpCallSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = HelpCallFilter

    def get_queryset(self) -> QuerySet[HelpCall]:
        return (
            help_calls_for(self.request.user)
            .select_related("traveller", "handled_by")
            .order_by("-at", "-pk")
        )
