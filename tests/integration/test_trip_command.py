"""`riskatlas trip check|brief`, run as a user runs them (a real process on an SQLite file):
the issue's example trip against the Peru assessment imported and published, or given as a
file; a bad trip file refused with its lines."""

from __future__ import annotations

import json
import sqlite3
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from tests.integration.conftest import own_sqlite_files, run_riskatlas

pytestmark = own_sqlite_files

ROOT = Path(__file__).resolve().parents[2]
TRIP = ROOT / "examples" / "trips" / "peru-andahuaylas.yaml"


def test_check_against_the_published_assessment_in_the_database(peru_yaml: Path, tmp_path: Path):
    db = tmp_path / "db.sqlite3"
    assert run_riskatlas(["import", str(peru_yaml)], db, tmp_path).returncode == 0
    out = run_riskatlas(["trip", "check", str(TRIP), "--format", "json"], db, tmp_path)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    levels = {
        a["code"]: (a["level"], a["assessment"]) for s in result["segments"] for a in s["areas"]
    }
    assert levels["PE-LMA"] == levels["PE-APU"] == levels["PE-HUV"] == (4, "pe-2009 v1")
    assert [a["name"] for a in result["approvals"]] == [
        "Line manager", "Country security focal point", "Regional security manager",
    ]  # fmt: skip
    broken = {m["name"]: m["broken_by"] for m in result["measures"]}
    assert broken["No road travel after dark"] == [2]
    stale = next(w for w in result["warnings"] if w["kind"] == "stale-assessment")
    assert "review-by date 2010-05-31 has passed" in stale["text"]
    night = {r["id"]: r["why"] for r in result["segments"][1]["risks"]}
    assert night["road-accidents"] == ["country-wide", "road travel", "after dark"]

    table = run_riskatlas(["trip", "check", str(TRIP)], db, tmp_path)
    assert "No road travel after dark  <- BROKEN by segment 2" in table.stdout
    assert "   - Basic security training: because level 4 (high)\n" in table.stdout
    assert "   ! not done by Rosa Quispe: Specialised security-awareness training\n" in table.stdout

    pdf = tmp_path / "brief.pdf"
    made = run_riskatlas(
        ["trip", "brief", str(TRIP), "--format", "pdf", "-o", str(pdf)], db, tmp_path
    )
    assert made.returncode == 0, made.stderr
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(BytesIO(pdf.read_bytes())).pages
    )
    assert "Rosa Quispe" in text and "Out of date" in text and "No road travel after dark" in text


def test_check_without_a_published_assessment_says_so(tmp_path: Path):
    out = run_riskatlas(
        ["trip", "check", str(TRIP), "--format", "json"], tmp_path / "db.sqlite3", tmp_path
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert {w["kind"] for w in result["warnings"]} >= {"not-assessed"}
    assert "No published assessment covers PE-LMA." in " ".join(
        w["text"] for w in result["warnings"]
    )
    assert [a["role"] for a in result["approvals"]] == ["head-of-security"]
    table = run_riskatlas(["trip", "check", str(TRIP)], tmp_path / "db.sqlite3", tmp_path)
    assert table.returncode == 0, table.stderr
    assert "None" not in table.stdout  # no level is written in words, not as Python's None
    assert "(2027-03-15 – 2027-03-17): no area on it assessed" in table.stdout
    assert "area PE-APU Apurímac: not assessed" in table.stdout
    assert "by road, after dark: not assessed" in table.stdout


def test_check_with_an_assessment_file_and_a_bad_trip(peru_yaml: Path, tmp_path: Path):
    db = tmp_path / "db.sqlite3"
    out = run_riskatlas(
        ["trip", "check", str(TRIP), "--assessment", str(peru_yaml), "--format", "json"],
        db,
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["level"] == 4
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        TRIP.read_text(encoding="utf-8").replace("transport: road", "transport: taxi"),
        encoding="utf-8",
    )
    line = next(i for i, t in enumerate(bad.read_text("utf-8").splitlines(), 1) if "taxi" in t)
    refused = run_riskatlas(
        ["trip", "check", str(bad), "--assessment", str(peru_yaml)], db, tmp_path
    )
    assert refused.returncode == 1
    assert (
        f"{bad}:{line}: segments[1].transport: 'taxi' is not one of: none, air, road"
        in refused.stderr
    )


def test_the_demo_loads_the_example_trip_once_with_its_approvers(tmp_path: Path):
    db = tmp_path / "db.sqlite3"
    first = run_riskatlas(["demo", "--no-serve", "--no-worker"], db, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "trips/peru-andahuaylas.yaml: created trip peru-andahuaylas" in first.stdout
    again = run_riskatlas(["demo", "--no-serve", "--no-worker"], db, tmp_path)
    assert again.returncode == 0 and "created trip" not in again.stdout
    con = sqlite3.connect(db)
    try:
        trips = con.execute("SELECT slug, status FROM travel_trip").fetchall()
        roles = con.execute(
            "SELECT u.username, r.role FROM travel_approverrole r JOIN auth_user u"
            " ON u.id = r.user_id ORDER BY r.role"
        ).fetchall()
    finally:
        con.close()
    assert trips == [("peru-andahuaylas", "draft")]
    assert roles == [
        ("admin", "head-of-security"), ("reviewer", "line-manager"),
        ("reviewer", "regional-security-manager"), ("reviewer", "security-focal-point"),
    ]  # fmt: skip


def test_the_demos_emailed_links_point_at_the_port_it_serves(tmp_path: Path):
    # The check-in links emailed to travellers led to port 8000 whatever --port said.
    db = tmp_path / "db.sqlite3"
    done = run_riskatlas(["demo", "--no-serve", "--no-worker", "--port", "8999"], db, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "links in emails (check-ins): http://127.0.0.1:8999/" in done.stdout
