"""The PDF laid out in parts and joined (``pdf_parts``), read back: the same pages as the single
pass (text, page numbers, the picture), the contents' numbers, the outline, and links that
land on their target's page across parts, also when the risk register is cut between risks."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from riskatlas.reports.pdf_parts import render_in_parts, render_single
from riskatlas.reports.pdf_split import PAGE_SECTIONS, split
from riskatlas.reports.render import _html, stylesheet
from tests.unit.reports.conftest import pdf_pages


@pytest.fixture(scope="module")
def bolivia_html(bolivia: dict[str, Any]) -> str:
    return _html(bolivia, "pdf")


@pytest.fixture(scope="module")
def single(bolivia_html: str) -> bytes:
    return render_single(bolivia_html)


@pytest.fixture(scope="module")
def parts(bolivia_html: str) -> bytes:
    return render_in_parts(bolivia_html, workers_count=2)


@pytest.fixture(scope="module")
def register_cut(bolivia_html: str) -> bytes:
    """In parts in this process, the register (8 risks) cut every 3 risks."""
    return render_in_parts(bolivia_html, workers_count=1, risks_per_part=3)


def outline(data: bytes) -> list[tuple[int, str, int]]:
    reader = PdfReader(BytesIO(data))
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


def links(data: bytes) -> list[tuple[int, int]]:
    """Each internal link as (the page it is on, the page it lands on), 0-based."""
    reader = PdfReader(BytesIO(data))
    targets = {
        name: reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }
    found = []
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            assert (
                "/A" not in annotation
                or "/URI" not in annotation["/A"]
                or not str(annotation["/A"]["/URI"]).startswith("riskatlas-anchor:")
            )
            if "/Dest" in annotation:
                found.append((number, targets[str(annotation["/Dest"])]))
    return found


def contents_links(data: bytes) -> dict[str, int]:
    """The contents' links (on page 2): the anchor each names and the page it lands on."""
    reader = PdfReader(BytesIO(data))
    found = {}
    for ref in reader.pages[1].get("/Annots") or []:
        annotation = ref.get_object()
        if "/Dest" in annotation:
            name = str(annotation["/Dest"])
            found[name] = reader.get_destination_page_number(reader.named_destinations[name])
    return found


def test_the_page_sections_are_those_print_css_starts_on_a_new_page() -> None:
    rule = re.search(r"([^{}]*)\{ break-before: page; \}", stylesheet("print.css"))
    assert rule is not None
    assert set(re.findall(r"\.section-([a-z-]+)", rule.group(1))) == PAGE_SECTIONS


def test_the_report_is_cut_at_its_page_breaks(bolivia_html: str) -> None:
    report = split(bolivia_html)
    assert '<nav class="toc"' in report.front and 'id="about"' in report.front
    assert 'id="summary"' in report.front
    assert [re.search(r'section-([a-z-]+)"', b).group(1) for b in report.bodies] == [  # type: ignore[union-attr]
        "method",
        "context",
        "threats",
        "register",
        "mitigation",
        "levels",
        "annexes",
    ]
    assert "report-footer" in report.bodies[-1]
    cut = split(bolivia_html, risks_per_part=3).bodies
    register = [b for b in cut if "section-register" in b]
    assert [b.count('<tbody class="risk"') for b in register] == [3, 3, 2]
    assert all("<thead>" in b and b.count("<table") == b.count("</table>") for b in register)


def test_same_pages_as_the_single_pass(single: bytes, parts: bytes) -> None:
    assert pdf_pages(parts) == pdf_pages(single)
    total = len(pdf_pages(parts))
    for number, text in enumerate(pdf_pages(parts)[1:], start=2):
        assert f"page {number} of {total}" in text
    assert "page 1 of" not in pdf_pages(parts)[0]


def test_same_picture_as_the_single_pass(single: bytes, parts: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pictures = {}
        for name, data in (("single", single), ("parts", parts)):
            path = Path(tmp) / f"{name}.pdf"
            path.write_bytes(data)
            subprocess.run(["pdftoppm", "-r", "24", str(path), str(Path(tmp) / name)], check=True)
            pictures[name] = sorted(Path(tmp).glob(f"{name}-*.ppm"))
        assert len(pictures["parts"]) == len(pictures["single"]) > 5
        for one, other in zip(pictures["single"], pictures["parts"], strict=True):
            assert one.read_bytes() == other.read_bytes(), other.name


def test_outline_and_links_as_in_the_single_pass(single: bytes, parts: bytes) -> None:
    assert outline(parts) == outline(single)
    assert len(outline(parts)) > 20
    assert links(parts) == links(single)
    assert len(links(parts)) > 10


def test_contents_links_land_on_their_section(register_cut: bytes) -> None:
    pages = pdf_pages(register_cut)
    contents = pages[1]
    number = re.search(r"9 Risk register[ .]*(\d+) 10 Mitigation", contents)
    assert number, contents[:600]
    assert pages[int(number.group(1)) - 1].startswith("9 Risk register")
    landed = contents_links(register_cut)
    assert pages[landed["register"]].startswith("9 Risk register")
    assert pages[landed["mitigation"]].startswith("10 Mitigation")
    assert landed["register"] == int(number.group(1)) - 1


def test_register_cut_between_risks(single: bytes, register_cut: bytes) -> None:
    pages = pdf_pages(register_cut)
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"page {number} of {total}" in text
    text = " ".join(pages)
    for label in re.findall(r"\bR\d+\b", " ".join(pdf_pages(single))):
        assert label in text
    register = [p for p in pages if "Inherent Measures Residual" in p.replace("\n", " ")]
    assert len(register) >= 3  # the header on each piece's page
    assert [t for _, t, _ in outline(register_cut)] == [t for _, t, _ in outline(single)]


# The parts' processes are tried in a fresh Python process: pytest's own process may hold
# threads left by other tests (a live server, DuckDB), and then run_tasks rightly takes every
# part itself instead of forking.
_TASKS = """
import os, sys, time
from riskatlas.reports.pdf_parts import _can_fork, run_tasks

def pid_after_a_while(_):
    time.sleep(0.3)
    return os.getpid()

def fails(_):
    raise ValueError("no such part")

def helper_dies(parent):
    if os.getpid() != int(parent):
        os._exit(3)  # the helper ends mid-task, as if killed
    time.sleep(0.2)
    return os.getpid()

assert _can_fork(), "a fresh process runs one thread"
case = sys.argv[1]
me = os.getpid()
if case == "turns":
    results = run_tasks([(pid_after_a_while, str(i)) for i in range(6)], helpers=1)
    assert len(results) == 6, results
    assert me in results and len(set(results)) == 2, results  # this process and one helper
elif case == "fails":
    try:
        run_tasks([(pid_after_a_while, "0"), (fails, "1"), (fails, "2")], helpers=1)
    except RuntimeError as error:
        assert "ValueError: no such part" in str(error), error
    else:
        raise SystemExit("no error")
elif case == "dies":
    assert run_tasks([(helper_dies, str(me))] * 4, helpers=1) == [me] * 4
print("ok")
"""


def _tasks(case: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _TASKS, case], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


def test_two_processes_take_the_parts_in_turn() -> None:
    _tasks("turns")


def test_a_failed_part_fails_the_pdf() -> None:
    _tasks("fails")


def test_a_helper_that_dies_leaves_its_part_to_this_process() -> None:
    _tasks("dies")
