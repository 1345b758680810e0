"""``POST /api/v1/token/`` with a username and password gives the user's API token.

Throttled (``RISKATLAS_TOKEN_RATE``, 10 a minute by default per address), and the password
check goes through django-axes like the sign-in page, so repeated failures lock it out too."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from riskatlas.api.schema import ApiSchema
from riskatlas.api.serializers.tokens import TokenSerializer


class TokenView(ObtainAuthToken):
    schema = ApiSchema()
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Get your API token",
        request=AuthTokenSerializer,
        responses={200: TokenSerializer},
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)
