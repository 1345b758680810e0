"""Browsers kept between prints in a long-lived process (``chromium_kept``), with a real
headless Chromium: two prints share one browser process, each in a fresh browser context; a
killed browser is replaced; no more are kept than prints run at once; they are ended when the
process exits."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from riskatlas.reports import chromium_kept
from riskatlas.reports.chromium import find_binary
from riskatlas.reports.pdf_chromium import render_chromium_pdf
from riskatlas.reports.render import _html
from tests.unit.reports.conftest import pdf_pages

pytestmark = pytest.mark.skipif(find_binary() is None, reason="no Chromium on PATH")


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Browsers kept in this process for one test (the idle ones), all ended after it."""
    monkeypatch.setattr(chromium_kept, "_keeping", False)
    monkeypatch.delenv("RISKATLAS_PDF_KEEP_BROWSER", raising=False)
    chromium_kept.keep_browsers()
    assert chromium_kept.keeping()
    try:
        yield chromium_kept._idle
    finally:
        chromium_kept.close_all()


@pytest.fixture(scope="module")
def html(bolivia: dict[str, Any]) -> str:
    return _html(bolivia, "pdf")


def _pages(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def test_two_prints_share_one_browser_process(kept: list[Any], html: str) -> None:
    first = render_chromium_pdf(partial(str, html))
    assert len(kept) == 1
    browser = kept[0]
    second = render_chromium_pdf(partial(str, html))
    assert kept == [browser] and browser.alive()
    assert _pages(first) == _pages(second) == 16
    assert "2 Executive summary" in pdf_pages(second)[1]
    # Each print had a page of its own, closed with its browser context after it: only the
    # browser's first page is left.
    pages = [t for t in browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
    assert len(pages) == 1


def test_a_killed_browser_is_replaced(kept: list[Any], html: str) -> None:
    render_chromium_pdf(partial(str, html))
    killed = kept[0]
    os.killpg(killed.pid, signal.SIGKILL)
    time.sleep(0.2)
    assert _pages(render_chromium_pdf(partial(str, html))) == 16
    assert len(kept) == 1 and kept[0] is not killed and kept[0].alive()
    assert not killed.alive()


def test_a_kept_browser_that_does_not_answer_is_replaced(
    kept: list[Any], html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept browser still running but not answering (stopped here) fails to open the next
    print's page within the time limit: it is ended and a new browser takes the print."""
    render_chromium_pdf(partial(str, html))
    stuck = kept[0]
    os.killpg(stuck.pid, signal.SIGSTOP)
    assert stuck.alive()
    monkeypatch.setattr(chromium_kept, "TIME_LIMIT", 3)
    try:
        with chromium_kept.kept_browser(1) as browser:
            assert browser is not stuck and browser.alive()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(stuck.pid, signal.SIGCONT)
    assert kept == [browser] and not stuck.alive()


def test_no_more_kept_than_prints_at_once(
    kept: list[Any], html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKATLAS_PDF_PRINTS_AT_ONCE", "2")
    with ThreadPoolExecutor(3) as pool:
        pdfs = list(pool.map(lambda _: render_chromium_pdf(partial(str, html)), range(3)))
    assert [_pages(pdf) for pdf in pdfs] == [16, 16, 16]
    assert 1 <= len(kept) <= 2
    assert len({browser.pid for browser in kept}) == len(kept)


def test_kept_browsers_end_with_the_process(tmp_path: Path) -> None:
    """A process that kept a browser ends it (and removes its profile) when it exits."""
    script = textwrap.dedent(
        """
        import sys
        from riskatlas.reports import chromium_kept
        from riskatlas.reports.pdf_chromium import render_chromium_pdf

        chromium_kept.keep_browsers()
        page = "<!DOCTYPE html><html><head></head><body><p>kept</p></body></html>"
        assert render_chromium_pdf(lambda: page).startswith(b"%PDF")
        browser = chromium_kept._idle[0]
        print(browser.pid, browser.profile)
        """
    )
    env = {**os.environ, "RISKATLAS_PDF_ENGINE": "chromium", "RISKATLAS_PDF_KEEP_BROWSER": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    pid, profile = done.stdout.split()
    assert not Path(f"/proc/{pid}").exists()
    assert not Path(profile).exists()


def test_keeping_can_be_turned_off(
    kept: list[Any], html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    render_chromium_pdf(partial(str, html))
    browser = kept[0]
    chromium_kept.keep_browsers(False)  # the idle ones are ended
    assert not chromium_kept.keeping() and kept == [] and not browser.alive()
    monkeypatch.setenv("RISKATLAS_PDF_KEEP_BROWSER", "0")  # the setting says no
    chromium_kept.keep_browsers()
    assert not chromium_kept.keeping()


def _running(pid: str) -> bool:
    """Whether the process runs (a zombie left to a parent that does not reap it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kept_browsers_end_with_a_process_killed_outright(tmp_path: Path) -> None:
    """SIGKILL runs no exit code: the kept browser's watchdog ends it."""
    script = textwrap.dedent(
        """
        import time
        from riskatlas.reports import chromium_kept
        from riskatlas.reports.pdf_chromium import render_chromium_pdf

        chromium_kept.keep_browsers()
        page = "<!DOCTYPE html><html><head></head><body><p>kept</p></body></html>"
        render_chromium_pdf(lambda: page)
        print(chromium_kept._idle[0].pid, flush=True)
        time.sleep(60)
        """
    )
    env = {**os.environ, "RISKATLAS_PDF_ENGINE": "chromium", "RISKATLAS_PDF_KEEP_BROWSER": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    pid = process.stdout.readline().strip()
    assert pid and _running(pid)
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pid)
