"""The assessment page's "Official advice" table for Colombia, from the shared advice pages:
Arauca and Cauca at the level each government states, with each advice's date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.evidence import connect, import_file

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "advisories"


def _risk(area: str, likelihood: int, impact: int) -> dict[str, object]:
    return {
        "id": f"armed-{area.lower()}",
        "title": f"Staff caught in armed clashes ({area})",
        "category": "ACI",
        "area": area,
        "inherent": {"likelihood": likelihood, "impact": impact},
        "residual": {"likelihood": likelihood, "impact": impact},
        "rationale": "Armed groups fight over the border corridors.",
    }


COLOMBIA = {
    "riskatlas": 1,
    "assessment": {
        "slug": "co-test", "title": "Colombia", "country": "CO", "as_of": "2026-08-01",
        "status": "draft",
        "scope": "Field offices in Arauca and Cauca.", "author": {"name": "Test Analyst"},
    },
    "sources": [],
    "areas": [{"code": "CO"}, {"code": "CO-ARA"}, {"code": "CO-CAU"}],
    "risks": [_risk("CO", 2, 3), _risk("CO-ARA", 4, 5), _risk("CO-CAU", 4, 5)],
}  # fmt: skip


def _cells(page: str, code: str) -> list[str]:
    section = page[page.index('id="advice"') : page.index('id="sources"')]
    row = section[section.index(f'<span class="muted">{code}</span>') :]
    row = row[: row.index("</tr>")]
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1:]  # after "This assessment"


def test_colombia_advice_table_reads_each_government(tmp_path: Path, monkeypatch):
    if not SHARED.is_dir():
        pytest.skip("../shared/data is absent (real advice pages live outside the repo)")
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    con = connect(db)
    try:
        import_file(con, "advisories", SHARED)
    finally:
        con.close()
    import_document(COLOMBIA, team=ensure_team("Field team"))
    add_user("analyst", "Field team", "analyst", "a-long-test-password-1")
    client = Client()
    client.force_login(get_user_model().objects.get(username="analyst"))
    page = client.get("/assessments/co-test/").content.decode()
    section = page[page.index('id="advice"') : page.index('id="sources"')]
    governments = re.findall(r"<th>([^<]+)<div class=\"muted advice-date\">", section)
    assert len(governments) == 5
    expected = {  # as the pages say (tests/unit/evidence/advice_expected.csv)
        "CO-ARA": {"United States": 4, "United Kingdom": 3, "Canada": 4, "Australia": 3,
                   "Ireland": 2},
        "CO-CAU": {"United States": 4, "United Kingdom": 3, "Canada": 4, "Australia": 4,
                   "Ireland": 2},
    }  # fmt: skip
    for code, levels in expected.items():
        shown = {}
        for name, cell in zip(governments, _cells(page, code), strict=True):
            level = re.match(r"\s*(\d) ·", cell)
            shown[name.split(" (")[0]] = int(level.group(1)) if level else None
        assert shown == levels, code
    assert "excluding Popayán" in "".join(_cells(page, "CO-CAU"))
    assert "as of 2025-04-17" in section  # the US page's own date
