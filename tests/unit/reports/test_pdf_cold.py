"""The cold ``riskatlas report … --format pdf`` (issue 13): the browser starts before anything
else is read, so that its start runs beside the reading and the HTML; nothing the print does
not need yet (pypdf, 0.1-0.2 s to import) delays the page; and a browser started so early is
ended, its profile removed, when the assessment turns out to be invalid or the HTML fails.

The commands run in a fresh Python (what is imported, and when, is the point), with the real
browser; a few lines wrapped around ``Chromium`` report what had been imported when it
started and when the page was sent to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from riskatlas.reports.chromium import find_binary
from tests.unit.reports.conftest import DOCUMENTS

pytestmark = pytest.mark.skipif(
    find_binary() is None,
    reason="no Chromium on PATH (Debian: apt install chromium-headless-shell)",
)

# Run as ``python -c``: the report command, with what it had imported reported (JSON lines on
# stderr) when the browser starts and when the page is sent to it.
WATCHED = """
import json, sys
from riskatlas.reports import chromium

def said(event, **more):
    loaded = {name: name in sys.modules for name in ("riskatlas.document", "pypdf")}
    print(json.dumps({"event": event, **loaded, **more}), file=sys.stderr, flush=True)

start, navigate = chromium.Chromium.__init__, chromium.Chromium.navigate

def started(self, *args, **kwargs):
    start(self, *args, **kwargs)
    said("started", pid=self.pid, profile=self.profile)

def navigated(self, path):
    said("navigate")
    navigate(self, path)

chromium.Chromium.__init__, chromium.Chromium.navigate = started, navigated
from riskatlas.cli import main
main(["report", *sys.argv[1:]])
"""


def _report(*args: str) -> tuple[int, list[dict[str, Any]], str]:
    """The watched report command's exit code, what it reported, and its other messages."""
    env = {**os.environ, "RISKATLAS_PDF_ENGINE": "auto"}
    env.pop("RISKATLAS_PDF_KEEP_BROWSER", None)
    done = subprocess.run(
        [sys.executable, "-c", WATCHED, *args], capture_output=True, text=True, env=env
    )
    events = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    others = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("{"))
    return done.returncode, events, others


def _gone(pid: int) -> bool:
    """Whether the process has ended (given a few seconds: its parent has exited)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def test_the_browser_starts_first_and_pypdf_waits_for_the_print(tmp_path: Path) -> None:
    """The browser starts before the assessment's reader is imported (it was 0.2-0.8 s later:
    jsonschema and the document package first), and the page goes to it before pypdf is
    imported (it was imported before the HTML was built, delaying the page by 0.1-0.2 s)."""
    out = tmp_path / "report.pdf"
    code, events, others = _report(
        str(DOCUMENTS / "minimal.yaml"), "--format", "pdf", "-o", str(out)
    )
    assert code == 0, others
    assert [e["event"] for e in events] == ["started", "navigate"]
    started, navigate = events
    assert not started["riskatlas.document"], "the assessment was read before the browser started"
    assert not navigate["pypdf"], "pypdf was imported before the page went to the browser"
    assert out.read_bytes().startswith(b"%PDF")


def test_an_invalid_assessment_ends_the_browser_started_for_it(tmp_path: Path) -> None:
    """The browser starts before the file is read; when the file is invalid the command says
    why, writes nothing, and leaves neither the browser running nor its profile behind."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("assessment:\n  title: no country, no risks\n", encoding="utf-8")
    out = tmp_path / "report.pdf"
    code, events, others = _report(str(broken), "--format", "pdf", "-o", str(out))
    assert code == 1
    assert "broken.yaml" in others
    assert not out.exists()
    assert [e["event"] for e in events] == ["started"]
    assert _gone(events[0]["pid"]), "the browser is still running"
    assert not Path(events[0]["profile"]).exists(), "the browser's profile was left behind"


def test_a_failed_html_ends_the_browser_started_early(
    bolivia: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A browser ``start_early`` started is ended, its profile removed, when building the
    HTML fails (the error is the caller's, not the browser's)."""
    from riskatlas.reports import pdf_chromium

    monkeypatch.delenv("RISKATLAS_PDF_KEEP_BROWSER", raising=False)
    monkeypatch.setenv("RISKATLAS_PDF_ENGINE", "chromium")
    pdf_chromium.start_early()
    browser = pdf_chromium._early[-1]

    def failing() -> str:
        raise ValueError("no HTML today")

    with pytest.raises(ValueError, match="no HTML today"):
        pdf_chromium.render_chromium_pdf(failing)
    assert browser.usage is not None, "the browser was not waited for"
    assert _gone(browser.pid)
    assert not Path(browser.profile).exists()
    assert pdf_chromium._early == []


def test_a_command_ended_by_sigterm_leaves_no_browser_nor_profile(tmp_path: Path) -> None:
    """``kill`` (SIGTERM) while the browser runs: the command ends as a process killed by it
    is reported (143), and neither the browser nor its profile in ``/dev/shm`` stays behind
    (the profile did, when SIGTERM ended the process outright)."""
    import signal

    env = {**os.environ, "RISKATLAS_PDF_ENGINE": "auto"}
    env.pop("RISKATLAS_PDF_KEEP_BROWSER", None)
    out = tmp_path / "report.pdf"
    args = [str(DOCUMENTS / "bolivia-fixture.yaml"), "--format", "pdf", "-o", str(out)]
    process = subprocess.Popen(
        [sys.executable, "-c", WATCHED, *args], stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stderr is not None
    started = json.loads(process.stderr.readline())
    assert started["event"] == "started"
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert not out.exists()
    assert _gone(started["pid"]), "the browser is still running"
    assert not Path(started["profile"]).exists(), "the browser's profile was left behind"
