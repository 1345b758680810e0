"""What the integration tests share: their people's password and a browser signed in."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "a-long-test-password-1"


def client_for(username: str) -> Client:
    """A test browser signed in as the user ``username``."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=str(username)))
    return client
