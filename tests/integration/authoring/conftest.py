"""Signing in the test's people for the authoring pages."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "a-long-test-password-1"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client
