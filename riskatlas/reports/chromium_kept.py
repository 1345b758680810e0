"""Browsers kept running between prints in a long-lived process: the web app's processes and
the worker (``riskatlas serve``, ``demo`` and ``worker`` call :func:`keep_browsers`). A cold
print starts a browser and ends it (about 0.3-0.7 s of its time, and the browser's start is
most of the CPU a short print takes); a kept browser prints each PDF in a fresh page of a
browser context of its own (``Chromium.new_page``: nothing of one print is seen by the next),
closed after the print.

At most ``pdf_chromium.prints_at_once()`` browsers (``keep_at_most``) are kept in a process,
one per print running at once (a print takes an idle one, or starts one, and gives it back);
one that died meanwhile (killed, crashed) is replaced at the next print, and one that failed
during a print is ended rather than kept. They are ended when the process exits, and forgotten
(not ended: they are the parent's) in a child forked from it (gunicorn's app processes start
their own). A process killed outright (SIGKILL) runs no exit code, and Chromium does not end
when its pipe closes: each kept browser has a watchdog (a shell waiting on a pipe that only this
process writes to) that ends the browser's process group once the pipe is closed.
``RISKATLAS_PDF_KEEP_BROWSER=0`` turns it off (an idle browser holds about 190 MB, PSS of its
processes, after Peru's PDF)."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from riskatlas.reports.chromium import TIME_LIMIT, Chromium, ChromiumError

_idle: list[Chromium] = []
_watchdogs: dict[int, tuple[int, int]] = {}  # the browser's pid: the watchdog's pid, its pipe
_lock = threading.Lock()
_keeping = False


def keep_browsers(keep: bool = True) -> None:
    """Keep browsers between prints from now on in this process (and its forked children),
    unless ``RISKATLAS_PDF_KEEP_BROWSER`` is ``0``; ``keep=False``: no longer (the idle ones
    are ended)."""
    global _keeping
    setting = os.environ.get("RISKATLAS_PDF_KEEP_BROWSER", "1").strip()
    _keeping = keep and setting not in ("0", "no", "")
    if not _keeping:
        close_all()


def keeping() -> bool:
    return _keeping


@contextmanager
def kept_browser(keep_at_most: int) -> Iterator[Chromium]:
    """An idle kept browser (or a new one) with a fresh page, given back after the print (and
    kept if fewer than ``keep_at_most`` are idle); a print that fails ends it."""
    browser = _take()
    try:
        yield browser
    except BaseException:
        _close(browser)
        raise
    _give(browser, keep_at_most)


def _take() -> Chromium:
    """An idle browser (a dead one ended), else a new one, with a fresh page; if opening the
    page fails (say the idle one died meanwhile), once more with a new browser."""
    with _lock:
        browser = _idle.pop() if _idle else None
    if browser is None or not browser.alive():
        if browser is not None:
            _close(browser)
        browser = _started()
    try:
        return _with_page(browser)
    except ChromiumError:
        return _with_page(_started())


def _with_page(browser: Chromium) -> Chromium:
    """The browser with a fresh page and the print's time limit; ended if that fails."""
    browser.time_limit = TIME_LIMIT
    browser.deadline = time.monotonic() + TIME_LIMIT
    try:
        browser.new_page()
    except ChromiumError:
        _close(browser)
        raise
    return browser


def _give(browser: Chromium, keep_at_most: int) -> None:
    try:
        browser.close_page()
    except ChromiumError:
        _close(browser)
        return
    with _lock:
        if browser.alive() and len(_idle) < keep_at_most:
            _idle.append(browser)
            return
    _close(browser)


def _started() -> Chromium:
    """A new browser to keep, and its watchdog (module docstring)."""
    browser = Chromium()
    browser.keep = True
    read, write = os.pipe()
    try:
        watchdog = os.posix_spawn(
            "/bin/sh",
            ["sh", "-c", f"read _; kill -9 -{browser.pid}"],
            os.environ,
            file_actions=[(os.POSIX_SPAWN_DUP2, read, 0)],
            setsid=True,
        )
    except OSError:
        os.close(write)
        browser.close()
        raise
    finally:
        os.close(read)
    _watchdogs[browser.pid] = (watchdog, write)
    return browser


def _close(browser: Chromium) -> None:
    """End a kept browser, and then its watchdog."""
    browser.close()
    watchdog, write = _watchdogs.pop(browser.pid, (0, -1))
    if watchdog:
        with contextlib.suppress(ProcessLookupError):
            os.kill(watchdog, signal.SIGKILL)
        os.waitpid(watchdog, 0)
        os.close(write)


def close_all() -> None:
    """End every idle kept browser of this process (at its exit)."""
    with _lock:
        browsers, _idle[:] = list(_idle), []
    for browser in browsers:
        _close(browser)


def _forget() -> None:
    """In a forked child: the parent's browsers are not this process's to use or end."""
    global _lock
    _idle.clear()
    _watchdogs.clear()
    _lock = threading.Lock()


atexit.register(close_all)
os.register_at_fork(after_in_child=_forget)

__all__ = ["close_all", "keep_browsers", "keeping", "kept_browser"]
