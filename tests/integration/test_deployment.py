"""The production settings mode passes Django's deployment check, and refuses to start
without a secret key."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.sqlite_only(
    reason="Django's deployment check of the settings; no database query"
)


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env={
            # The browser tests allow async-unsafe calls in their own process; a deployment
            # never does, and Django's check rightly flags it.
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "riskatlas.settings",
            **env,
        },
        timeout=120,
    )


def test_production_mode_passes_the_deployment_check():
    result = _check(
        {
            "RISKATLAS_PRODUCTION": "1",
            "RISKATLAS_SECRET_KEY": secrets.token_urlsafe(60),
            "RISKATLAS_ALLOWED_HOSTS": "riskatlas.example.org",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_needs_a_secret_key():
    result = _check({"RISKATLAS_PRODUCTION": "1", "RISKATLAS_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "RISKATLAS_SECRET_KEY must be set" in result.stderr


def test_development_mode_is_flagged_by_the_check():
    result = _check({"RISKATLAS_PRODUCTION": "", "RISKATLAS_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "security.W004" in result.stderr or "security.W004" in result.stdout
