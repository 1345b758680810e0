"""Real servers for duty-of-care tests: an SMTP server (aiosmtpd) that keeps what it receives,
and an HTTP server that keeps the webhook requests it receives."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """Messages the SMTP server accepted: (envelope recipients, parsed message)."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            (
                list(envelope.rcpt_tos),
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpts, m in self.received if address in rcpts]


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server on a free port; Django sends through it with its SMTP backend."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class Hooks:
    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 204

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
def webhook_server() -> Iterator[Hooks]:
    """A real HTTP server that records each POST (headers, body) and answers ``status``."""
    hooks = Hooks(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hooks.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(hooks.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hooks.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hooks
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def queue(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The task queue on a file of this test's own: what the test queues, it alone takes off
    (no other test run on the machine, nor a worker, shares it)."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import SqliteStorage

    monkeypatch.setattr(HUEY, "storage", SqliteStorage("riskatlas", str(tmp_path / "queue.db")))
    return HUEY


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    """Sets the time the web app reads (``django.utils.timezone.now``) to a moment of this
    test's choosing: check-ins open and close by it, and the Peru trip is in March 2027."""
    from django.utils import timezone

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to
