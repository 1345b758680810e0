"""A report read after its review-by date says so on its cover (HTML and PDF) and at the top
of the Markdown: the bundled Peru example (review by 31 May 2010) is out of date."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from riskatlas.reports import render_markdown, render_pdf
from riskatlas.reports.about import metadata
from tests.unit.reports.conftest import pdf_pages

WARNING = "Out of date: the review-by date 2010-05-31 has passed."


def test_the_pdf_cover_warns(peru_pdf: bytes) -> None:
    pages = pdf_pages(peru_pdf)
    assert WARNING in pages[0]
    assert "check before relying on this assessment" in pages[0]
    assert len(pages) > 1
    assert all(WARNING not in text for text in pages[1:])  # the cover, not every page


def test_a_current_report_has_no_warning(minimal: dict[str, Any]) -> None:
    doc = copy.deepcopy(minimal)
    doc["assessment"]["review_by"] = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert "Out of date" not in pdf_pages(render_pdf(doc))[0]
    assert "Out of date" not in render_markdown(doc)


def test_the_markdown_warns_under_its_title(peru: dict[str, Any]) -> None:
    head = render_markdown(peru).split("## Contents")[0]
    assert f"> **{WARNING}" in head


def test_staleness_is_read_on_the_day(peru: dict[str, Any]) -> None:
    assert metadata(peru, today=dt.date(2010, 5, 31)).stale_warning == ""
    assert metadata(peru, today=dt.date(2010, 6, 1)).stale_warning.startswith(WARNING)
