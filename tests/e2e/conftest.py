"""End-to-end tests in real headless Chromium (Debian's package, installed by
scripts/test.sh), driven by Playwright's Python client against pytest-django's live server.
Screenshots go to artifacts/screenshots/ for people to look at."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "a-long-test-password-1"


def _chromium() -> str | None:
    for name in (os.environ.get("RISKATLAS_CHROMIUM", ""), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        pytest.skip("Chromium is not installed (scripts/test.sh installs it with apt as root)")
    # Playwright's sync client runs an event loop in this thread; Django's async-safety
    # check would refuse the test's own database calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Any]:
    contexts = []

    def make(username: str | None = None, **options: Any) -> Any:
        """A page signed in as ``username`` (if given), its context made with ``options``
        (scripts off, the CSP bypassed for axe…)."""
        context = browser.new_context(viewport={"width": 1366, "height": 900}, **options)
        # Tests never reach the internet: anything but the live server is refused (map tiles).
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(live_server.url)
                else route.abort("internetdisconnected")
            ),
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30000)  # a loaded 2-core machine is slow
        if username:
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(live_server.url + "/")
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot() -> Any:
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str, full_page: bool = False) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
