"""The PDF printed by a real headless Chromium (``RISKATLAS_PDF_ENGINE=chromium``), read back:
the pages WeasyPrint gives (±1), the running header, the contents' page numbers where the
sections start, the outline, links that land on their target; no trace left behind; and the
errors a user gets without a Chromium or past the time limit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from riskatlas.reports.chromium import ChromiumError, find_binary, scratch_dir
from riskatlas.reports.pdf_chromium import chromium_html, engine, render_chromium_pdf
from riskatlas.reports.pdf_parts import render_single
from riskatlas.reports.render import _html, render_pdf
from tests.unit.reports.conftest import pdf_pages

needs_chromium = pytest.mark.skipif(
    find_binary() is None,
    reason="no Chromium on PATH (Debian: apt install chromium; scripts/test.sh installs it)",
)


@pytest.fixture(scope="module")
def printed(bolivia: dict[str, Any], peru: dict[str, Any]) -> dict[str, tuple[bytes, bytes]]:
    """Each report as (WeasyPrint's PDF, Chromium's PDF)."""
    if find_binary() is None:
        pytest.skip("no Chromium on PATH")
    out = {}
    for name, doc in (("bolivia", bolivia), ("peru", peru)):
        html = _html(doc, "pdf")
        out[name] = (render_single(html), render_chromium_pdf(partial(str, html)))
    return out


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Environment variables set for one test."""
    yield monkeypatch


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title with its whitespace collapsed, page from 1) for each bookmark."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                title = "".join(item.title.split())
                found.append((depth, title, (reader.get_destination_page_number(item) or 0) + 1))

    walk(reader.outline, 0)
    return found


@needs_chromium
@pytest.mark.parametrize("name", ["bolivia", "peru"])
def test_the_same_pages_as_weasyprint(printed: dict[str, tuple[bytes, bytes]], name: str) -> None:
    weasy, chromium = (PdfReader(BytesIO(pdf)) for pdf in printed[name])
    assert abs(len(chromium.pages) - len(weasy.pages)) <= 1
    box = chromium.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    # The outline: the same headings, nested alike, on the same pages or the next or the one
    # before (where a line more or less fits on a page, Chromium's page breaks differ).
    ours, theirs = _outline(chromium), _outline(weasy)
    assert [(depth, title) for depth, title, _ in ours] == [(d, t) for d, t, _ in theirs]
    assert all(abs(a[2] - b[2]) <= 1 for a, b in zip(ours, theirs, strict=True))


@needs_chromium
@pytest.mark.parametrize("name", ["bolivia", "peru"])
def test_running_header_and_footer(printed: dict[str, tuple[bytes, bytes]], name: str) -> None:
    pages = pdf_pages(printed[name][1])
    title, marking = {
        "bolivia": ("Bolivia programme security risk assessment", "PUBLISHED — version 3"),
        "peru": ("Peru: general security situation — security risk assessment", "PUBLISHED"),
    }[name]
    assert "page 1 of" not in pages[0]  # the cover has neither
    for number, text in enumerate(pages[1:], start=2):
        assert title in text
        assert marking in text
        assert f"page {number} of {len(pages)}" in text


@needs_chromium
@pytest.mark.parametrize("name", ["bolivia", "peru"])
def test_contents_numbers_are_the_pages_the_sections_start_on(
    printed: dict[str, tuple[bytes, bytes]], name: str
) -> None:
    weasy, chromium = printed[name]
    pages = pdf_pages(chromium)
    entries = re.findall(r"(\d+|[A-C]) ([^.\d]+?) ?\.{5,} ?(\d+)", pages[1])
    assert len(entries) >= 14, pages[1][:800]
    for mark, heading, number in entries:
        page = int(number)
        starts = f"{mark} {heading.strip()}"
        assert starts in pages[page - 1], (starts, page)
        assert starts not in pages[page - 2] or page - 2 == 1, (starts, page)  # not earlier
    # The same numbers as WeasyPrint's contents.
    weasy_numbers = re.findall(r"\.{3,} ?(\d+)", pdf_pages(weasy)[1])
    assert [n for _, _, n in entries] == weasy_numbers


@needs_chromium
def test_links_land_on_their_targets(printed: dict[str, tuple[bytes, bytes]]) -> None:
    reader = PdfReader(BytesIO(printed["peru"][1]))
    destinations = reader.named_destinations
    links = 0
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if "/Dest" in annotation:
                links += 1
                target = destinations[str(annotation["/Dest"])]
                page_number = reader.get_destination_page_number(target)
                assert page_number is not None and 0 <= page_number < len(reader.pages)
    assert links > 20
    # The contents' first entry goes to "1 About this assessment", on page 2.
    assert reader.get_destination_page_number(destinations["/about"]) == 1


def test_the_page_references_nothing_outside_itself(bolivia: dict[str, Any]) -> None:
    page = chromium_html(_html(bolivia, "pdf"))
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(?:src|srcset)=["']?(?!data:)[a-z]+:""", page, flags=re.I)
    assert not re.search(r"url\(\s*['\"]?(?!data:|#)", page, flags=re.I)
    assert "@import" not in page and "<script" not in page and "<link" not in page
    # The running header's text is written into the page rules; nothing is left to string().
    assert "string(report-" not in page
    assert 'content: "Bolivia programme security risk assessment";' in page


@needs_chromium
def test_nothing_left_behind(
    bolivia: dict[str, Any], tmp_path: Path, environment: pytest.MonkeyPatch
) -> None:
    """The browser's profile and the printed page's folder are removed after the print. They
    go to a folder of this test's own (``scratch_dir``), so that another process printing
    meanwhile on the same machine (into ``/dev/shm``) is not counted as left behind."""
    from riskatlas.reports import chromium, pdf_chromium

    assert scratch_dir() in (None, "/dev/shm")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for module in (chromium, pdf_chromium):
        environment.setattr(module, "scratch_dir", lambda: str(scratch))
    render_chromium_pdf(lambda: _html(bolivia, "pdf"))
    assert list(scratch.iterdir()) == []


def test_a_chromium_that_cannot_run_is_a_clear_error_that_leaves_nothing(
    tmp_path: Path, environment: pytest.MonkeyPatch
) -> None:
    """A browser found but not runnable (a broken install): a ChromiumError naming it, and
    neither its profile folder nor the pipes to it left behind."""
    import os

    from riskatlas.reports import chromium

    broken = tmp_path / "chromium"
    broken.write_bytes(b"\x7fELF not a browser")
    broken.chmod(0o755)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    environment.setenv("RISKATLAS_CHROMIUM", str(broken))
    environment.setattr(chromium, "scratch_dir", lambda: str(scratch))
    open_before = len(os.listdir("/proc/self/fd"))
    with pytest.raises(ChromiumError, match=rf"{re.escape(str(broken))}: Chromium could not be"):
        chromium.Chromium()
    assert list(scratch.iterdir()) == []
    assert len(os.listdir("/proc/self/fd")) == open_before


def test_a_clear_error_without_chromium(
    bolivia: dict[str, Any], environment: pytest.MonkeyPatch
) -> None:
    environment.setenv("RISKATLAS_CHROMIUM", "/nowhere/chromium")
    environment.setenv("RISKATLAS_PDF_ENGINE", "chromium")
    with pytest.raises(ChromiumError, match=r"no Chromium found.*RISKATLAS_PDF_ENGINE=weasyprint"):
        render_pdf(bolivia)
    # auto, the default, falls back to WeasyPrint.
    environment.setenv("RISKATLAS_PDF_ENGINE", "auto")
    assert engine() == "weasyprint"
    environment.delenv("RISKATLAS_PDF_ENGINE")
    assert engine() == "weasyprint"
    environment.setenv("RISKATLAS_PDF_ENGINE", "prince")
    with pytest.raises(ValueError, match="weasyprint, chromium, auto"):
        engine()


@needs_chromium
def test_the_time_limit(bolivia: dict[str, Any], environment: pytest.MonkeyPatch) -> None:
    environment.setenv("RISKATLAS_PDF_TIME_LIMIT", "0.05")
    with pytest.raises(ChromiumError, match="took longer than"):
        render_chromium_pdf(lambda: _html(bolivia, "pdf"))


@needs_chromium
def test_the_report_command_prints_with_chromium(
    tmp_path: Path, environment: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from riskatlas.cli import main
    from tests.unit.reports.conftest import DOCUMENTS

    environment.setenv("RISKATLAS_PDF_ENGINE", "chromium")
    out = tmp_path / "report.pdf"
    source = str(DOCUMENTS / "minimal.yaml")
    result = CliRunner().invoke(main, ["report", source, "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out.read_bytes())
    assert "Minimal assessment" in pages[0]
    assert f"page 2 of {len(pages)}" in pages[1]
    # Without a Chromium the command says what to do, and writes nothing.
    environment.setenv("RISKATLAS_CHROMIUM", "/nowhere/chromium")
    missing = tmp_path / "missing.pdf"
    result = CliRunner().invoke(main, ["report", source, "--format", "pdf", "-o", str(missing)])
    assert result.exit_code == 1
    assert "no Chromium found" in result.output and "apt install chromium" in result.output
    assert not missing.exists()


def test_a_browser_that_fails_to_start_says_why(
    bolivia: dict[str, Any], tmp_path: Path, environment: pytest.MonkeyPatch
) -> None:
    # A program in Chromium's place that fails as a browser without a sandbox would.
    failing = tmp_path / "chromium"
    failing.write_text('#!/bin/sh\necho "FATAL: no usable sandbox" >&2\nexit 1\n')
    failing.chmod(0o755)
    environment.setenv("RISKATLAS_CHROMIUM", str(failing))
    with pytest.raises(ChromiumError, match=r"failed to start.*FATAL: no usable sandbox"):
        render_chromium_pdf(lambda: _html(bolivia, "pdf"))


@needs_chromium
def test_auto_leaves_a_big_report_to_weasyprint(bolivia: dict[str, Any]) -> None:
    html = _html(bolivia, "pdf")
    small = PdfReader(BytesIO(render_chromium_pdf(partial(str, html), below=len(html) + 1)))
    big = PdfReader(BytesIO(render_chromium_pdf(partial(str, html), below=len(html))))
    assert "Skia" in str((small.metadata or {}).get("/Producer"))
    assert "WeasyPrint" in str((big.metadata or {}).get("/Producer"))


def test_the_default_prints_with_weasyprint_where_there_is_no_chromium(
    tmp_path: Path, environment: pytest.MonkeyPatch
) -> None:
    """A fresh machine (the README's path) has no Chromium: the report command's PDF comes from
    WeasyPrint, with nothing said about it; where one is found, from Chromium."""
    from click.testing import CliRunner

    from riskatlas.cli import main
    from tests.unit.reports.conftest import DOCUMENTS

    environment.delenv("RISKATLAS_PDF_ENGINE", raising=False)
    environment.delenv("RISKATLAS_CHROMIUM", raising=False)
    source = str(DOCUMENTS / "minimal.yaml")
    bare = tmp_path / "bin"  # a PATH with nothing on it
    bare.mkdir()
    environment.setenv("PATH", str(bare))
    assert find_binary() is None
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(main, ["report", source, "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{out}: pdf report of minimal-fixture"
    reader = PdfReader(out)
    assert "WeasyPrint" in str((reader.metadata or {}).get("/Producer"))
    assert "Minimal assessment" in pdf_pages(out.read_bytes())[0]


@needs_chromium
def test_the_default_prints_with_chromium_where_there_is_one(
    tmp_path: Path, environment: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from riskatlas.cli import main
    from tests.unit.reports.conftest import DOCUMENTS

    environment.delenv("RISKATLAS_PDF_ENGINE", raising=False)
    out = tmp_path / "report.pdf"
    source = str(DOCUMENTS / "minimal.yaml")
    result = CliRunner().invoke(main, ["report", source, "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert "Skia" in str((reader.metadata or {}).get("/Producer"))
    pages = pdf_pages(out.read_bytes())
    assert f"page 2 of {len(pages)}" in pages[1]


def _most_browsers_at_once(
    bolivia: dict[str, Any], tmp_path: Path, environment: pytest.MonkeyPatch, prints: int
) -> tuple[int, list[bytes]]:
    """``prints`` Bolivia PDFs asked for at once from threads (as a busy web process would),
    and the most browser profiles seen in the scratch folder at one time while they ran."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from riskatlas.reports import chromium, pdf_chromium

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for module in (chromium, pdf_chromium):
        environment.setattr(module, "scratch_dir", lambda: str(scratch))
    html = _html(bolivia, "pdf")
    most, done = 0, threading.Event()

    def watch() -> None:
        nonlocal most
        while not done.is_set():
            profiles = [p for p in scratch.iterdir() if not p.name.startswith("riskatlas-pdf-")]
            most = max(most, len(profiles))
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(prints) as pool:
            pdfs = list(pool.map(lambda _: render_chromium_pdf(partial(str, html)), range(prints)))
    finally:
        done.set()
        watcher.join()
    return most, pdfs


def test_prints_beyond_the_setting_wait_their_turn(
    bolivia: dict[str, Any], tmp_path: Path, environment: pytest.MonkeyPatch
) -> None:
    """With ``RISKATLAS_PDF_PRINTS_AT_ONCE=1`` three PDFs asked for at once are all printed,
    whole, but never by more than one browser at a time (each takes hundreds of MB)."""
    environment.setenv("RISKATLAS_PDF_PRINTS_AT_ONCE", "1")
    most, pdfs = _most_browsers_at_once(bolivia, tmp_path, environment, 3)
    assert most == 1
    assert [len(PdfReader(BytesIO(pdf)).pages) for pdf in pdfs] == [16, 16, 16]


def test_a_wrong_prints_at_once_setting_is_a_clear_error(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("RISKATLAS_PDF_PRINTS_AT_ONCE", "none")
    with pytest.raises(ValueError, match="RISKATLAS_PDF_PRINTS_AT_ONCE must be a whole number"):
        render_chromium_pdf(lambda: "<html></html>")


@pytest.mark.skipif(
    not all(Path(p).is_file() for p in ("/usr/bin/chromium", "/usr/bin/chromium-headless-shell")),
    reason="needs Debian's chromium and chromium-headless-shell (scripts/test.sh installs them)",
)
def test_the_headless_shell_is_preferred_and_runs_as_itself(
    bolivia: dict[str, Any], tmp_path: Path, environment: pytest.MonkeyPatch
) -> None:
    """Where both are installed, the headless shell prints (it starts in about half the time,
    for a quarter of the CPU), run as the browser itself rather than through Debian's launcher
    script; its PDF is read back as the desktop browser's is."""
    import os

    from riskatlas.reports import chromium

    path = tmp_path / "bin"
    path.mkdir()
    for name in ("chromium", "chromium-headless-shell"):
        (path / name).symlink_to(f"/usr/bin/{name}")
    environment.setenv("PATH", str(path))
    environment.delenv("RISKATLAS_CHROMIUM", raising=False)
    assert find_binary() == str(path / "chromium-headless-shell")
    with chromium.Chromium() as browser:
        running = os.readlink(f"/proc/{browser.pid}/exe")
    assert running == "/usr/lib/chromium/chromium-headless-shell"
    reader = PdfReader(BytesIO(render_chromium_pdf(lambda: _html(bolivia, "pdf"))))
    assert "Skia" in str((reader.metadata or {}).get("/Producer"))
    assert "Bolivia" in reader.pages[0].extract_text()


def _font_names(pdf: bytes) -> list[str]:
    """The base name (subset prefix dropped) of each font object in the file."""
    reader = PdfReader(BytesIO(pdf))
    names = []
    for number in range(1, int(str(reader.trailer["/Size"]))):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry
            continue
        if hasattr(obj, "get") and obj.get("/Type") == "/Font" and obj.get("/Subtype") == "/Type0":
            names.append(str(obj["/BaseFont"]).split("+")[-1])
    return names


@needs_chromium
def test_the_contents_numbers_are_drawn_in_the_reports_own_font(
    printed: dict[str, tuple[bytes, bytes]],
) -> None:
    """The leaders and numbers are drawn with the DejaVu Sans the report already embeds, not
    printed on a page of their own by a second load and print (which brought its own copy of
    the font in: a second DejaVu Sans)."""
    names = _font_names(printed["peru"][1])
    assert names.count("DejaVuSans") == 1, names


CONTENTS_WITHOUT_DOTS = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 22mm 17mm 20mm 17mm; }
body { font-family: "DejaVu Sans", sans-serif; }
h2 { break-before: page; }
.toc a::after { content: leader(dotted) " " target-counter(attr(href), page); }
</style></head><body>
<nav class="toc"><ul style="list-style: none">
<li><a href="#alpha">Alpha</a></li><li><a href="#beta">Beta</a></li></ul></nav>
<h2 id="alpha">Alpha</h2><p>one</p><h2 id="beta">Beta</h2><p>two</p>
</body></html>
"""


@needs_chromium
def test_contents_numbers_without_the_glyphs_in_the_report_are_printed(tmp_path: Path) -> None:
    """A report whose text has no dot and no digit (its font in the PDF lacks them): the
    leaders and numbers cannot be drawn in it, and are printed by the browser instead."""
    from riskatlas.reports.chromium import Chromium
    from riskatlas.reports.pdf_chromium import contents_lines
    from riskatlas.reports.pdf_leaders import leaders

    page = tmp_path / "page.html"
    page.write_text(chromium_html(CONTENTS_WITHOUT_DOTS), encoding="utf-8")
    with Chromium() as browser:
        browser.open(page)
        raw = PdfReader(BytesIO(browser.print_pdf()))
    lines = contents_lines(raw, ["alpha", "beta"])
    assert [line.number for line in lines] == [2, 3]
    assert leaders(raw, lines, 500.0) is None
    pages = pdf_pages(render_chromium_pdf(partial(str, CONTENTS_WITHOUT_DOTS)))
    assert re.search(r"Alpha ?\.{5,} ?2 Beta ?\.{5,} ?3", pages[0]), pages[0]
