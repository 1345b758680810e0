"""A headless Chromium in a subprocess, driven over its DevTools pipe (``--remote-debugging-pipe``:
JSON messages on file descriptors 3 and 4, no port opened): start it, load a local file, print it
to PDF, and end it, all within a time limit.

The binary: ``RISKATLAS_CHROMIUM`` (a path or a command name), else the first of
``chromium-headless-shell``, ``chromium``, ``chromium-browser``, ``google-chrome`` on ``PATH``:
the headless shell (Chromium's old headless mode, a browser without the desktop one's window
machinery; Debian's ``chromium-headless-shell``) first, as it prints the same page from the same
engine but starts in about half the time and a quarter of the CPU. The browser runs with a
throwaway profile, no background networking, and host names resolving to nothing, so that a
page it prints cannot reach the network (the pages printed here reference nothing outside
themselves anyway)."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
TIME_LIMIT = 60.0  # seconds for the whole print, from the browser's start


class ChromiumError(RuntimeError):
    """Chromium is absent, failed, or took longer than the time limit."""


def find_binary() -> str | None:
    """The Chromium to run: ``RISKATLAS_CHROMIUM`` or the first candidate on ``PATH``."""
    explicit = os.environ.get("RISKATLAS_CHROMIUM", "").strip()
    if explicit:
        return shutil.which(explicit)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def scratch_dir() -> str | None:
    """Where the browser's throwaway profile and the printed page go: ``/dev/shm`` (memory)
    when it is there to write in, as the profile's 130-odd files took 0.3 s to remove from the
    disk of the shared machine; else the system's temporary folder."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


# Debian's launchers (shell scripts) and the browsers they run.
DEBIAN_BROWSERS = {
    "/usr/bin/chromium": "/usr/lib/chromium/chromium",
    "/usr/bin/chromium-headless-shell": "/usr/lib/chromium/chromium-headless-shell",
}


def _real_binary(path: str) -> str:
    """Debian's ``/usr/bin/chromium`` and ``/usr/bin/chromium-headless-shell`` are shell scripts
    that run the browser: run the browser itself (one process less, and no noise from the
    script). Any other path runs as given."""
    browser = DEBIAN_BROWSERS.get(os.path.realpath(path))
    if browser is not None and os.access(browser, os.X_OK):
        with contextlib.suppress(OSError), open(path, "rb") as script:
            if script.read(2) == b"#!":
                return browser
    return path


FLAGS = (
    "--headless",
    "--remote-debugging-pipe",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--blink-settings=scriptEnabled=false",
)


class Chromium:
    """One browser process. ``with Chromium(limit) as browser: browser.print_pdf(path)``.

    Started at construction, so that the caller can do other work while it starts."""

    def __init__(self, time_limit: float = TIME_LIMIT) -> None:
        binary = find_binary()
        if binary is None:
            raise ChromiumError(
                "no Chromium found for the PDF: install it (Debian: apt install "
                "chromium-headless-shell, or chromium) "
                "or set RISKATLAS_CHROMIUM to its path, or use RISKATLAS_PDF_ENGINE=weasyprint"
            )
        self.deadline = time.monotonic() + time_limit
        self.time_limit = time_limit
        self.profile = tempfile.mkdtemp(prefix="riskatlas-chromium-", dir=scratch_dir())
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Above 4, so that placing them on 3 and 4 in the child overwrites neither.
        high = [_dup_high(fd) for fd in (to_child_r, from_child_w)]
        args = [_real_binary(binary), *FLAGS, f"--user-data-dir={self.profile}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium's sandbox refuses to run as root
        args.append("about:blank")
        devnull = os.open(os.devnull, os.O_RDWR)
        self.log = os.path.join(self.profile, "chromium.log")  # its messages, for an error
        log = os.open(self.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            self.pid = os.posix_spawn(
                args[0],
                args,
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, devnull, 0),
                    (os.POSIX_SPAWN_DUP2, log, 1),
                    (os.POSIX_SPAWN_DUP2, log, 2),
                    (os.POSIX_SPAWN_DUP2, high[0], 3),
                    (os.POSIX_SPAWN_DUP2, high[1], 4),
                ],
                setsid=True,
                setsigmask=(),  # no signal its starter holds back (``start_early``)
            )
        except OSError as exc:  # found but not runnable: nothing of it is left behind
            for fd in (self._to_child, self._from_child):
                os.close(fd)
            shutil.rmtree(self.profile, ignore_errors=True)
            raise ChromiumError(
                f"{args[0]}: Chromium could not be started ({exc.strerror or exc}): install it "
                "(Debian: apt install chromium-headless-shell, or chromium), set "
                "RISKATLAS_CHROMIUM to a working one, or "
                "use RISKATLAS_PDF_ENGINE=weasyprint"
            ) from exc
        finally:
            for fd in (devnull, log, to_child_r, from_child_w, *high):
                os.close(fd)
        os.set_blocking(self._from_child, False)
        self._buffer = b""
        self._next_id = 0
        self._session: str | None = None
        self._loading: int | None = None  # the id of a navigation not yet waited for
        self._events: list[dict[str, Any]] = []
        self.usage: Any = None  # the browser's resource usage (``wait4``) once closed
        self._ended = False
        self.keep = False  # kept between prints (``chromium_kept``): ``finished`` leaves it
        self._context: str | None = None  # the browser context of ``new_page``'s page
        # The page's session is opened beside the caller's work: the browser answers only once
        # it has started (0.3-1 s, longer on a busy machine), and the page's renderer then.
        self._attach_error: BaseException | None = None
        self._attaching = threading.Thread(target=self._attach, name="chromium-attach", daemon=True)
        self._attaching.start()

    # The protocol ------------------------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any] | None = None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self._session is not None:
            message["sessionId"] = self._session
        data = json.dumps(message).encode() + b"\0"
        while data:
            try:
                written = os.write(self._to_child, data)
            except BrokenPipeError:
                raise ChromiumError(
                    "Chromium closed its pipe (it crashed or failed to start): " + self._said()
                ) from None
            data = data[written:]
        return self._next_id

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise ChromiumError(
                    f"Chromium took longer than {self.time_limit:g} s (RISKATLAS_PDF_TIME_LIMIT)"
                )
            ready, _, _ = select.select([self._from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise ChromiumError(
                    "Chromium closed its pipe (it crashed or failed to start): " + self._said()
                )
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def _said(self) -> str:
        """The end of what the browser wrote to its output, for an error message."""
        try:
            with open(self.log, encoding="utf-8", errors="replace") as text:
                said = " ".join(text.read()[-600:].split())
        except OSError:
            said = ""
        return said or "it wrote nothing"

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        meanwhile: Callable[[], object] | None = None,
    ) -> dict[str, Any]:
        """Send a command and wait for its answer (events on the way are kept); ``meanwhile()``
        runs between the two, while the browser works."""
        wanted = self._send(method, params)
        if meanwhile is not None:
            meanwhile()
        while True:
            message = self._receive()
            if message.get("id") == wanted:
                if "error" in message:
                    raise ChromiumError(f"Chromium: {method}: {message['error'].get('message')}")
                return dict(message.get("result", {}))
            self._events.append(message)

    def _wait_event(
        self, method: str, wanted: Callable[[dict[str, Any]], bool] | None = None
    ) -> dict[str, Any]:
        """The first event ``method`` (whose parameters pass ``wanted``), kept or to come."""

        def fits(event: dict[str, Any]) -> bool:
            return event.get("method") == method and (
                wanted is None or wanted(event.get("params", {}))
            )

        for index, event in enumerate(self._events):
            if fits(event):
                return self._events.pop(index)
        while True:
            message = self._receive()
            if fits(message):
                return message
            self._events.append(message)

    # What the reports need ---------------------------------------------------------------

    def open(self, path: Path) -> None:
        """Load a local file in the browser's page and wait for it to have loaded."""
        self.navigate(path)
        self.wait_loaded()

    def _attach(self) -> None:
        """The browser's page attached to and its events enabled (in a thread of its own, from
        the start; ``_attached`` waits for it). Its error, if any, is kept for the caller."""
        try:
            targets = self.call("Target.getTargets")["targetInfos"]
            page = next(t["targetId"] for t in targets if t["type"] == "page")
            session = self.call("Target.attachToTarget", {"targetId": page, "flatten": True})
            self._session = session["sessionId"]
            self.call("Page.enable")
            # Each load event names the navigation it ends (``wait_loaded``).
            self.call("Page.setLifecycleEventsEnabled", {"enabled": True})
        except BaseException as error:  # handed to the caller's thread
            self._attach_error = error

    def _attached(self) -> None:
        """Wait for ``_attach`` (within the time limit) and raise what it raised."""
        self._attaching.join(max(0.0, self.deadline - time.monotonic()))
        if self._attaching.is_alive():
            raise ChromiumError(
                f"Chromium took longer than {self.time_limit:g} s (RISKATLAS_PDF_TIME_LIMIT)"
            )
        if self._attach_error is not None:
            error, self._attach_error = self._attach_error, None
            raise error

    def navigate(self, path: Path) -> None:
        """Start loading a local file in the browser's page and return while it loads (the
        caller can work meanwhile): ``wait_loaded`` waits for it."""
        self._attached()
        self._loading = self._send("Page.navigate", {"url": path.resolve().as_uri()})

    def wait_loaded(self) -> None:
        """Wait for the page ``navigate`` started to have loaded: the load event of that
        navigation (its ``loaderId``), not of the page before it (the first page's load can
        come after the attach, which now happens early)."""
        wanted, self._loading = self._loading, None
        if wanted is None:
            return
        while True:  # the navigation's answer, then its load event
            message = self._receive()
            if message.get("id") == wanted:
                result = message.get("result", {})
                failed = message.get("error", {}).get("message") or result.get("errorText")
                if failed:
                    raise ChromiumError(f"Chromium: Page.navigate: {failed}")
                break
            self._events.append(message)
        loader = result.get("loaderId")
        if loader is None:  # not a new document (Chromium names one for every file loaded)
            self._wait_event("Page.loadEventFired")
            return
        self._wait_event(
            "Page.lifecycleEvent",
            lambda params: params.get("name") == "load" and params.get("loaderId") == loader,
        )

    def print_pdf(
        self, page_ranges: str = "", meanwhile: Callable[[], object] | None = None
    ) -> bytes:
        """The loaded page printed as the page's own CSS sets the paper (``@page``); untagged
        and without Chromium's outline (which it builds only for a tagged PDF, and tags cost a
        quarter of the print's time: ``pdf_chromium`` writes the outline itself).
        ``meanwhile()`` runs while the browser prints."""
        params: dict[str, Any] = {
            "printBackground": True,
            "preferCSSPageSize": True,
            "displayHeaderFooter": False,
            "generateTaggedPDF": False,
            "generateDocumentOutline": False,
            "pageRanges": page_ranges,
        }
        return base64.b64decode(self.call("Page.printToPDF", params, meanwhile)["data"])

    # A browser kept between prints (``chromium_kept``) -------------------------------------

    def new_page(self) -> None:
        """A fresh page, in a browser context of its own (no cache, cookies or storage of a
        page printed before it), attached to and its events enabled: the page the next
        ``navigate`` loads. ``close_page`` closes it with its context."""
        self._attached()
        self.close_page()
        context = self.call("Target.createBrowserContext", {"disposeOnDetach": True})
        self._context = context["browserContextId"]
        target = self.call(
            "Target.createTarget", {"url": "about:blank", "browserContextId": self._context}
        )
        session = self.call(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )
        self._session = session["sessionId"]
        self.call("Page.enable")
        self.call("Page.setLifecycleEventsEnabled", {"enabled": True})

    def close_page(self) -> None:
        """Close ``new_page``'s page and its browser context, if any."""
        self._session, self._loading = None, None
        context, self._context = self._context, None
        if context is not None:
            self.call("Target.disposeBrowserContext", {"browserContextId": context})
        self._events.clear()

    def alive(self) -> bool:
        """Whether the browser is still running (one that died is reaped here)."""
        if self._ended or self.usage is not None:
            return False
        pid, _, usage = os.wait4(self.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.usage = usage
        return False

    def finished(self) -> None:
        """The print is done with the browser: it is ended (and exits while the caller goes
        on), unless it is kept for the next print."""
        if not self.keep:
            self.end()

    def end(self) -> None:
        """End the browser and everything it started (its process group: the profile is
        thrown away, so nothing is lost by not waiting for it to quit). The caller can go on
        while they exit; ``close`` waits for them."""
        if self._ended:
            return
        self._ended = True
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        # The pipes are closed once the session's thread is done with them (the browser's end
        # closes its side: the thread sees the end of the pipe and stops).
        self._attaching.join()
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)

    def close(self) -> None:
        """End the browser, wait for it, and remove its profile."""
        self.end()
        if self.usage is None:
            _, _, self.usage = os.wait4(self.pid, 0)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _dup_high(fd: int) -> int:
    import fcntl

    return fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
