"""Evidence once per assessment: the panels read together on one connection
(``evidence.panels``) are the panels ``evidence_panel`` gives one risk at a time, on real and
synthetic events; the exact tests no longer loop over every count; an assessment's evidence
is kept while the store and the risks are unchanged, and read afresh when either changes."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from riskatlas.evidence.analytics import binomial_two_sided, evidence_panel
from riskatlas.evidence.assessment import risk_evidence
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.coverage import Scope
from riskatlas.evidence.panels import evidence_panels, normalise_ask
from riskatlas.evidence.store import connect
from tests.acled_extract import ARAUCA, LIMA, event, full_year, write_extract

ROOT = Path(__file__).resolve().parents[3]
YEAR = (date(2021, 7, 1), date(2022, 6, 30))
CATEGORIES = ("ACI", "UNR", "CRM", "TER", "KID")


def _import(store: Path, path: Path, scope: Scope | None = None) -> None:
    con = connect(store)
    try:
        import_file(con, "acled", path, scope=scope)
    finally:
        con.close()


def _asks_in(store: Path, countries: list[str]) -> list[tuple[list[str], str]]:
    """Every area of ``countries`` with events, each country whole, and two areas together,
    crossed with the categories (many with no events at all)."""
    con = connect(store, read_only=True)
    areas = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT area_code FROM events WHERE country_iso3 IN ? AND area_code"
            " IS NOT NULL ORDER BY 1",
            [countries],
        ).fetchall()
    ]
    con.close()
    groups = [[a] for a in areas[:12]] + [[c] for c in countries] + [areas[:2], areas[-3:]]
    return [(codes, category) for codes in groups for category in CATEGORIES]


def _assert_same_panels(store: Path, asks: list[tuple[list[str], str]], start: date, end: date):
    con = connect(store, read_only=True)
    try:
        together = evidence_panels(
            con, [normalise_ask(c, k) for c, k in asks], start, end, samples=3
        )
    finally:
        con.close()
    with_events = 0
    for codes, category in asks:
        alone = evidence_panel(store, codes, category, start, end, samples=3)
        assert together[normalise_ask(codes, category)] == alone, (codes, category)
        with_events += bool(alone["events"])
    return with_events


def test_panels_together_equal_panels_alone_on_the_acled_sample(shared_data: Path, store: Path):
    _import(store, shared_data / "acled" / "acled_sample_2022h1.csv")
    asks = _asks_in(store, ["PER", "COL", "MEX"])
    assert _assert_same_panels(store, asks, *YEAR) > 20
    # A period that lies outside the data: every panel says so, alike.
    _assert_same_panels(store, asks[:10], date(2019, 1, 1), date(2019, 12, 31))


def test_panels_together_equal_panels_alone_on_synthetic_events(tmp_path: Path, store: Path):
    csv = tmp_path / "acled_synthetic.csv"
    generate = [sys.executable, str(ROOT / "benchmarks" / "evidence_generate.py")]
    subprocess.run([*generate, "--rows", "20000", "-o", str(csv)], check=True, cwd=ROOT)
    _import(store, csv, Scope("full", "stated at import with --full"))
    asks = _asks_in(store, ["PER", "COL"])
    assert _assert_same_panels(store, asks, date(2022, 1, 1), date(2022, 12, 31)) > 20


def _reference_binomial(k: int, n: int, p: float) -> float:
    """The test as it was: every one of the n + 1 results summed."""

    def log_pmf(i: int) -> float:
        return (math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                + i * math.log(p) + (n - i) * math.log1p(-p))  # fmt: skip

    observed = log_pmf(k)
    return min(1.0, sum(math.exp(log_pmf(i)) for i in range(n + 1)
                        if log_pmf(i) <= observed + 1e-7))  # fmt: skip


@pytest.mark.parametrize("n", [1, 2, 7, 40, 333, 5000])
@pytest.mark.parametrize("p", [0.5, 0.3, 181 / 546])
def test_binomial_tails_equal_the_sum_over_every_count(n: int, p: float):
    for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
        expected = _reference_binomial(k, n, p)
        assert binomial_two_sided(k, n, p) == pytest.approx(expected, rel=1e-12, abs=1e-300)


PERU = {
    "assessment": {"country": "PE"},
    "areas": [{"code": "PE-LIM"}, {"code": "central", "parts": ["PE-LIM", "PE-AYA"]}],
    "risks": [
        {"id": "lima-unrest", "area": "PE-LIM", "category": "UNR"},
        {"id": "central-unrest", "area": "central", "category": "UNR"},
        {"id": "lima-unrest-again", "area": "PE-LIM", "category": "UNR"},
    ],
}


def _protests(tmp_path: Path, name: str, every: int) -> Path:
    return write_extract(tmp_path / name, full_year(LIMA, *YEAR, "protest", every=every))


def test_evidence_is_kept_until_the_store_or_the_risks_change(tmp_path: Path, store: Path):
    _import(store, _protests(tmp_path, "peru.csv", every=7), Scope("full", "test"))
    first = risk_evidence(store, PERU)
    lima = first["panels"]["lima-unrest"]
    assert lima["events"] == 53 and first["panels"]["lima-unrest-again"] == lima
    assert first["panels"]["central-unrest"]["area_codes"] == ["PE-AYA", "PE-LIM"]
    # What a caller does to its answer changes nothing kept.
    first["panels"]["lima-unrest"]["events"] = -1
    assert risk_evidence(store, PERU)["panels"]["lima-unrest"]["events"] == 53

    # More events imported: read afresh.
    extra = [event(LIMA, 9000 + i, date(2022, 6, 1 + i), "protest") for i in range(3)]
    _import(store, write_extract(tmp_path / "more.csv", extra), Scope("full", "test"))
    assert risk_evidence(store, PERU)["panels"]["lima-unrest"]["events"] == 56

    # A risk moved to another category or area: read afresh, for that risk.
    moved = {**PERU, "risks": [{**PERU["risks"][0], "category": "ACI"}, PERU["risks"][1]]}
    assert set(risk_evidence(store, moved)["panels"]) == {"central-unrest"}
    elsewhere = {**PERU, "risks": [{**PERU["risks"][0], "area": "PE-AYA"}]}
    assert risk_evidence(store, elsewhere)["panels"] == {}


def test_another_store_is_another_answer(tmp_path: Path):
    peru, colombia = tmp_path / "a" / "events.duckdb", tmp_path / "b" / "events.duckdb"
    _import(peru, _protests(tmp_path, "peru.csv", every=7), Scope("full", "test"))
    clashes = full_year(ARAUCA, *YEAR, "clash", every=14)
    _import(colombia, write_extract(tmp_path / "colombia.csv", clashes), Scope("full", "test"))
    assert risk_evidence(peru, PERU)["state"] == "ok"
    assert risk_evidence(colombia, PERU) == {"state": "no-events", "window": None, "panels": {}}
