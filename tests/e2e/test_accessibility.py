"""Accessibility in a real browser: axe-core (the npm package installed from package-lock.json,
loaded from node_modules, never from the network) checks every page of the tour — the list,
the Peru assessment page, the edit pages and risk form, review, drafts, the job page, login
and the audit log — and finds no serious or critical violation. Keyboard users get a skip
link to the content and a visible focus ring; form controls have labels; levels say their
name in text, not only in colour.

The app's Content-Security-Policy allows no inline or injected scripts, so axe could not be
added to the page under it: the test harness's browser context bypasses the CSP
(``bypass_csp=True``) to inject axe. That is for the check only; the app's pages keep their
policy (tests/integration cover the header)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from riskatlas.config import node_modules_dir
from tests.e2e.tour import build_site, visit

pytestmark = pytest.mark.django_db(transaction=True)
AXE = node_modules_dir() / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help} — ` +
      v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(" | "));
}"""


@pytest.fixture
def axe() -> Path:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/setup.sh runs npm ci)")
    return AXE


def _violations(page: Any, axe: Path) -> list[str]:
    page.add_script_tag(path=str(axe))
    return list(page.evaluate(RUN_AXE))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_or_critical_axe_violation_on_any_page(
    peru_yaml: Path, browser: Any, live_server: Any, axe: Path, viewport: dict[str, int]
) -> None:
    stops = build_site(peru_yaml)
    found = {}
    for stop, page in visit(browser, live_server.url, stops, viewport, bypass_csp=True):
        problems = _violations(page, axe)
        if problems:
            found[stop.name] = problems
    assert found == {}, "\n".join(f"{name}: {p}" for name, ps in found.items() for p in ps)


def test_keyboard_reaches_the_content_first_and_sees_where_it_is(
    peru_yaml: Path, browser: Any, live_server: Any
) -> None:
    stops = [s for s in build_site(peru_yaml) if s.name == "assessment"]
    for _, page in visit(browser, live_server.url, stops, DESKTOP):
        page.keyboard.press("Tab")
        skip = page.locator(":focus")
        assert skip.inner_text() == "Skip to the content"
        # Hidden until focused, then on screen with a focus ring.
        box = skip.bounding_box()
        assert box is not None and box["y"] >= 0 and box["width"] > 1
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "content"
        assert page.locator("main#content h1").inner_text().startswith("Peru: general security")


def test_levels_are_named_in_text_beside_their_colour(
    peru_yaml: Path, browser: Any, live_server: Any
) -> None:
    stops = [s for s in build_site(peru_yaml) if s.name in ("assessment", "risk-form")]
    for stop, page in visit(browser, live_server.url, stops, DESKTOP):
        levels = page.locator(".level").all()
        assert levels, f"{stop.name}: no level shown"
        for coloured in levels:
            assert coloured.inner_text().strip(), f"{stop.name}: a level shown by colour alone"
        if stop.name == "risk-form":
            # The ratings say which rating each dropdown sets; the matrix cells name their level
            # by its code (VL, L, M, H, VH) or carry the I/C/R marks.
            for name in ("inherent_likelihood", "residual_impact"):
                label = page.locator(f"select[name={name}]").evaluate(
                    "e => e.labels.length ? e.labels[0].innerText : e.getAttribute('aria-label')"
                )
                words = name.replace("_", " ")
                assert words.split()[0] in label.lower() and words.split()[1] in label.lower()
            cells = [c.inner_text().strip() for c in page.locator(".risk-matrix td").all()]
            assert len(cells) == 25 and all(cells), cells  # a level's code, or I/C/R marks
