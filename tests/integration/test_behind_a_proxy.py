"""`riskatlas serve` in production mode behind a TLS reverse proxy, run for real: a waitress
process (and again as gunicorn's master with two app processes), and a small forwarding
proxy written here that adds X-Forwarded-Proto/-For/-Host as nginx does
(docs/deployment.md). The client reaches the proxy from 127.0.0.2, the proxy reaches the app
from 127.0.0.1 (the trusted proxy), and a forger reaches the app straight from 127.0.0.3."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only(
    reason="riskatlas serve on a SQLite file of its own; no query of the test database"
)

PUBLIC_HOST = "riskatlas.example.org"
PASSWORD = "a-long-test-password-1"
PROXY, CLIENT, FORGER = "127.0.0.1", "127.0.0.2", "127.0.0.3"  # all loopback addresses
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "host"}
FORWARDED = {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def forwarding_proxy(app_port: int, scheme: str) -> ThreadingHTTPServer:
    """A threaded proxy on loopback; ``scheme`` is what its listener stands for ("https" for
    the TLS side, "http" for a plain port 80). It replaces any X-Forwarded-* of the client."""

    class Forward(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {
                k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | FORWARDED
            }
            headers.update({
                "X-Forwarded-Proto": scheme,
                "X-Forwarded-For": self.client_address[0],
                "X-Forwarded-Host": PUBLIC_HOST,
            })  # fmt: skip
            upstream = http.client.HTTPConnection(
                "127.0.0.1", app_port, timeout=30, source_address=(PROXY, 0)
            )
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            answer = upstream.getresponse()
            content = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
            upstream.close()

        do_GET = do_POST = do_HEAD = _forward

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Site:
    """The running app and its two proxy listeners."""

    def __init__(
        self, app_port: int, tls: int, plain: int, db: Path, output: Path, pid: int, shape: str
    ) -> None:
        self.app_port, self.tls, self.plain, self.db, self.output = (
            app_port, tls, plain, db, output,
        )  # fmt: skip
        self.pid, self.shape = pid, shape

    def request(
        self, port: int, method: str, path: str, *, source: str = CLIENT, **kwargs: object
    ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
        conn.request(method, path, **kwargs)  # type: ignore[arg-type]
        response = conn.getresponse()
        response.read()
        conn.close()
        return response


def _wait_for(port: int, process: subprocess.Popen[bytes], output: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"riskatlas serve stopped: {output.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"riskatlas serve did not start: {output.read_text()}")


SHAPES = {"one process": ["--threads", "3"], "processes": ["--processes", "2", "--threads", "3"]}


@pytest.fixture(scope="module", params=list(SHAPES))
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("proxied")
    db = home / "riskatlas.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{db}",
        "RISKATLAS_HOME": str(home),
        "RISKATLAS_PRODUCTION": "1",
        "RISKATLAS_SECRET_KEY": secrets.token_urlsafe(60),
        "RISKATLAS_ALLOWED_HOSTS": f"{PUBLIC_HOST},127.0.0.1",
        "RISKATLAS_TRUSTED_PROXY": PROXY,
        "RISKATLAS_PASSWORD": PASSWORD,
    }
    run = [sys.executable, "-m", "riskatlas"]
    added = subprocess.run(
        [*run, "users", "add", "alice", "--team", "Field team", "--role", "reader"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    app_port = free_port()
    output = home / "serve.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            [*run, "serve", "--port", str(app_port), *SHAPES[request.param]],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    tls = forwarding_proxy(app_port, "https")
    plain = forwarding_proxy(app_port, "http")
    try:
        _wait_for(app_port, process, output)
        yield Site(
            app_port, tls.server_port, plain.server_port, db, output, process.pid, request.param
        )
    finally:
        tls.shutdown()
        plain.shutdown()
        process.terminate()
        process.wait(timeout=30)


def test_serve_says_how_it_runs(site: Site):
    shape = "2 processes × 3 threads" if site.shape == "processes" else "3 threads"
    assert f"({shape}, trusting proxy {PROXY}" in site.output.read_text()
    # The background worker, and with processes gunicorn's two app processes (the master
    # starts them one after the other: on a busy machine the second may come a moment later).
    expected = 3 if site.shape == "processes" else 1
    deadline = time.monotonic() + 30
    while True:
        children = Path(f"/proc/{site.pid}/task/{site.pid}/children").read_text().split()
        if len(children) >= expected or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(children) == expected


def test_the_login_page_through_the_proxy_is_served_over_https_with_secure_cookies(site: Site):
    page = site.request(site.tls, "GET", "/accounts/login/")
    assert page.status == 200  # no redirect: the proxy's https is believed
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    csrf = next(c for c in page.headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    assert "; Secure" in csrf


def test_signing_in_through_the_proxy_sets_a_secure_session(site: Site):
    conn = http.client.HTTPConnection("127.0.0.1", site.tls, timeout=30, source_address=(CLIENT, 0))
    conn.request("GET", "/accounts/login/")
    page = conn.getresponse()
    html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    body = f"username=alice&password={PASSWORD}&csrfmiddlewaretoken={token}"
    conn.request("POST", "/accounts/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "Origin": f"https://{PUBLIC_HOST}",
        "Referer": f"https://{PUBLIC_HOST}/accounts/login/",
    })  # fmt: skip
    signed_in = conn.getresponse()
    signed_in.read()
    assert signed_in.status == 302, "the CSRF check passes for the public https origin"
    assert signed_in.headers["Location"] == "/"
    session = next(c for c in signed_in.headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    assert "; Secure" in session and "; HttpOnly" in session
    conn.request("GET", "/", headers={"Cookie": session.split(";", 1)[0]})
    home = conn.getresponse()
    assert home.status == 200, "the home page, not another redirect"
    assert "alice" in home.read().decode()
    conn.close()


def test_plain_http_at_the_proxy_is_redirected_to_https_once(site: Site):
    first = site.request(site.plain, "GET", "/accounts/login/?next=/")
    assert first.status == 301
    assert first.headers["Location"] == f"https://{PUBLIC_HOST}/accounts/login/?next=/"
    # The browser follows it to the TLS side of the proxy: the page, no second redirect.
    path = first.headers["Location"].removeprefix(f"https://{PUBLIC_HOST}")
    assert site.request(site.tls, "GET", path).status == 200


def test_forged_proxy_headers_straight_to_the_app_are_not_believed(site: Site):
    forged = site.request(site.app_port, "GET", "/accounts/login/", source=FORGER, headers={
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "198.51.100.7",
        "X-Forwarded-Host": "attacker.example",
    })  # fmt: skip
    assert forged.status == 301, "a forged https is not believed: plain HTTP is redirected"
    assert forged.headers["Location"] == f"https://127.0.0.1:{site.app_port}/accounts/login/"


def test_lock_out_counts_the_forwarded_client_address(site: Site):
    for _ in range(2):
        failed = site.request(site.tls, "GET", "/accounts/login/")
        cookie = failed.headers["Set-Cookie"].split(";", 1)[0]
        token = cookie.split("=", 1)[1]
        site.request(site.tls, "POST", "/accounts/login/", body=(
            f"username=mallory&password=wrong&csrfmiddlewaretoken={token}"
        ), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": f"https://{PUBLIC_HOST}",
            "Referer": f"https://{PUBLIC_HOST}/accounts/login/",
        })  # fmt: skip
    with sqlite3.connect(site.db) as con:
        rows = con.execute(
            "SELECT ip_address, failures_since_start FROM axes_accessattempt"
            " WHERE username = 'mallory'"
        ).fetchall()
    assert rows == [(CLIENT, 2)], "counted for the client, not for the proxy"


def test_a_kept_alive_connection_stays_open_through_a_pause(site: Site):
    """A client pausing a few seconds between requests on its kept-alive connection (a
    person reading a page, the load benchmark's users) finds it open on either server:
    gunicorn closed idle connections after 2 s, and a request sent as it closed failed."""
    conn = http.client.HTTPConnection("127.0.0.1", site.app_port, timeout=30)
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": PUBLIC_HOST}  # as the proxy
    conn.request("GET", "/accounts/login/", headers=proxied)
    assert conn.getresponse().read()
    time.sleep(3)
    assert conn.sock is not None
    conn.sock.setblocking(False)
    try:
        closed = conn.sock.recv(1) == b""  # a connection the server closed reads as empty
    except BlockingIOError:
        closed = False  # open, nothing to read
    conn.sock.setblocking(True)
    assert not closed
    conn.request("GET", "/accounts/login/", headers=proxied)
    assert conn.getresponse().status == 200
    conn.close()
