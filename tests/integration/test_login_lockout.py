"""Sign-in lock-out per address as well as per username: one address trying many usernames is
locked out, other addresses are not (riskatlas/apps/accounts/lockout.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from riskatlas.apps.accounts.users import add_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def reader(settings) -> str:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6  # the per-user limit stays 5
    add_user("reader", "Field team", "reader", PASSWORD)
    return "reader"


def sign_in(username: str, password: str, address: str) -> int:
    response = Client().post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def test_many_usernames_from_one_address_lock_the_address(reader: str):
    for number in range(5):  # one failure each: no username reaches its own limit
        assert sign_in(f"guess{number}", "wrong", "10.1.1.1") == 200
    assert sign_in(reader, PASSWORD, "10.1.1.1") == 302  # five failures: still open
    assert sign_in("guess5", "wrong", "10.1.1.1") == 429  # the sixth locks the address
    # Now even the right password for a real user is refused from that address...
    response = Client().post(
        "/accounts/login/", {"username": reader, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # ...and from another address the same user signs in.
    assert sign_in(reader, PASSWORD, "10.2.2.2") == 302


def test_the_per_user_limit_still_applies_below_the_address_limit(reader: str):
    for _ in range(5):
        sign_in(reader, "wrong", "10.3.3.3")
    add_user("analyst", "Field team", "analyst", PASSWORD)
    assert sign_in("analyst", PASSWORD, "10.3.3.3") == 302  # five failures: address still open
    assert sign_in(reader, PASSWORD, "10.3.3.3") == 429  # but this username is locked there
