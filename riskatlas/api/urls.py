"""Routes of the API: data under /api/v1/, the OpenAPI description at /api/schema/ and its
viewer (Swagger UI; assets from drf-spectacular-sidecar, no CDN) at /api/docs/."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from riskatlas.api.views.assessments import AssessmentViewSet, VersionViewSet
from riskatlas.api.views.document_parts import document_part_routes
from riskatlas.api.views.feeds import ChangeList
from riskatlas.api.views.parts import (
    ActorViewSet,
    AreaViewSet,
    IncidentViewSet,
    RiskViewSet,
    SourceViewSet,
)
from riskatlas.api.views.tokens import TokenView
from riskatlas.api.views.travel import (
    ApprovalViewSet,
    CheckInViewSet,
    HelpCallViewSet,
    TravellerViewSet,
    TripViewSet,
)

app_name = "api"

router = SimpleRouter()
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("risks", RiskViewSet, basename="risk")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("actors", ActorViewSet, basename="actor")
router.register("areas", AreaViewSet, basename="area")
router.register("sources", SourceViewSet, basename="source")
router.register("trips", TripViewSet, basename="trip")
router.register("travellers", TravellerViewSet, basename="traveller")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("check-ins", CheckInViewSet, basename="check-in")
router.register("help-calls", HelpCallViewSet, basename="help-call")

versions = [
    path("", VersionViewSet.as_view({"get": "list", "post": "create"}), name="version-list"),
    path("<int:number>/", VersionViewSet.as_view({"get": "retrieve"}), name="version-detail"),
    path(
        "<int:number>/document",
        VersionViewSet.as_view({"get": "document"}),
        name="version-document",
    ),
    # Review steps, as on the pages: POST with an optional {"comment": "..."}.
    *(
        path(
            f"<int:number>/{step}", VersionViewSet.as_view({"post": action}), name=f"version-{step}"
        )
        for step, action in [
            ("submit", "submit"),
            ("withdraw", "withdraw"),
            ("return", "return_to_draft"),
            ("approve", "approve"),
            ("publish", "publish"),
        ]
    ),
    # Every kind of part in the document's own form (views/document_parts.py).
    *document_part_routes(),
]

v1 = [
    path("token/", TokenView.as_view(), name="token"),
    path("changes/", ChangeList.as_view(), name="change-list"),
    path("assessments/<slug:slug>/versions/", include(versions)),
    *router.urls,
]


@csrf_exempt  # a POST there is refused as unknown, not as a missing CSRF token
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other address under /api/v1/ (a slug or number the routes do not take): 404 in
    JSON, as the description says, not the site's HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("v1/", include(v1)),
    re_path(r"^v1/", not_found, name="not-found"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
