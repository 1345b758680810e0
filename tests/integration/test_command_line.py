"""The command-line contract, run as a user runs it: a real `riskatlas` process on an empty
SQLite file (DATABASE_URL), with the Peru example."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from riskatlas.document.yaml_lines import load_with_lines
from tests.integration.conftest import own_sqlite_files, run_riskatlas

pytestmark = own_sqlite_files


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "empty.sqlite3"


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_validate_passes_on_peru_and_fails_with_lines(peru_yaml: Path, tmp_path: Path, db: Path):
    ok = run_riskatlas(["validate", str(peru_yaml)], db, tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "valid" in ok.stdout

    text = peru_yaml.read_text(encoding="utf-8")
    data, lines = load_with_lines(text)
    # An impossible likelihood on the first risk.
    line_no = lines[("risks", 0, "inherent", "likelihood")]
    bad_lines = text.splitlines()
    bad_lines[line_no - 1] = bad_lines[line_no - 1].replace(
        f"likelihood: {data['risks'][0]['inherent']['likelihood']}", "likelihood: 9", 1
    )
    bad = tmp_path / "likelihood9.yaml"
    bad.write_text("\n".join(bad_lines) + "\n", encoding="utf-8")
    out = run_riskatlas(["validate", str(bad)], db, tmp_path)
    assert out.returncode == 1
    assert f"{bad}:{line_no}: risks[0].inherent.likelihood: 9 is above the maximum of 5" in (
        out.stderr
    )

    # A missing required field: the first risk's rationale.
    rationale_line = lines[("risks", 0, "rationale")]
    # A block scalar rationale spans several lines: drop its continuation lines too.
    indent = len(text.splitlines()[rationale_line - 1]) - len(
        text.splitlines()[rationale_line - 1].lstrip()
    )
    cleaned, skipping = [], False
    for i, ln in enumerate(text.splitlines(), 1):
        if i == rationale_line:
            skipping = True
            continue
        if skipping and (not ln.strip() or len(ln) - len(ln.lstrip()) > indent):
            continue
        skipping = False
        cleaned.append(ln)
    no_rationale = tmp_path / "no-rationale.yaml"
    no_rationale.write_text("\n".join(cleaned) + "\n", encoding="utf-8")
    out = run_riskatlas(["validate", str(no_rationale)], db, tmp_path)
    assert out.returncode == 1
    risk_line = lines[("risks", 0)]
    assert (
        f"{no_rationale}:{risk_line}: risks[0].rationale: required field 'rationale' is missing"
        in out.stderr
    )


def _row_counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND "
                "(name LIKE 'assessments_%' OR name LIKE 'geography_%' "
                "OR name LIKE 'intelligence_%')"
            )
        ]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def test_import_twice_report_pdf_and_round_trip(peru_yaml: Path, tmp_path: Path, db: Path):
    from pypdf import PdfReader

    first = run_riskatlas(["import", str(peru_yaml)], db, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "created pe-2009 version 1 (published)" in first.stdout
    counts = _row_counts(db)
    assert counts["assessments_risk"] >= 12
    second = run_riskatlas(["import", str(peru_yaml)], db, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "already up to date" in second.stdout
    assert _row_counts(db) == counts

    pdf = tmp_path / "peru.pdf"
    out = run_riskatlas(["report", "pe-2009", "--format", "pdf", "-o", str(pdf)], db, tmp_path)
    assert out.returncode == 0, out.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    flat = " ".join(text.split())
    for needle in (
        "Shining Path",
        "300",
        "Toccate",
        "Paseo Mil",
        "secure taxi",
        "Andahuaylas",
        "Huancavelica",
        "Ecuador",
        "2011",
        "Keiko",
    ):
        assert needle.lower() in flat.lower(), needle

    exported = tmp_path / "export.yaml"
    out = run_riskatlas(["export", "pe-2009", "-o", str(exported)], db, tmp_path)
    assert out.returncode == 0, out.stderr
    same = run_riskatlas(["diff", str(peru_yaml), str(exported)], db, tmp_path)
    assert same.returncode == 0, same.stdout + same.stderr
    assert same.stdout.strip() == "No changes."
    # Importing the export into another empty database gives the same assessment.
    other = tmp_path / "other.sqlite3"
    assert run_riskatlas(["import", str(exported)], other, tmp_path).returncode == 0
    again = tmp_path / "again.yaml"
    assert run_riskatlas(["export", "pe-2009", "-o", str(again)], other, tmp_path).returncode == 0
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_diff_reports_exactly_one_re_rated_risk(peru_yaml: Path, tmp_path: Path, db: Path):
    text = peru_yaml.read_text(encoding="utf-8")
    data, lines = load_with_lines(text)
    risk = data["risks"][2]
    old = risk["residual"]["likelihood"]
    new = old - 1 if old > 1 else old + 1
    line_no = lines[("risks", 2, "residual", "likelihood")]
    rows = text.splitlines()
    rows[line_no - 1] = rows[line_no - 1].replace(f"likelihood: {old}", f"likelihood: {new}", 1)
    changed = tmp_path / "changed.yaml"
    changed.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = run_riskatlas(["diff", str(peru_yaml), str(changed)], db, tmp_path)
    assert out.returncode == 1
    bullets = [ln for ln in out.stdout.splitlines() if ln.startswith("- ")]
    assert len(bullets) == 1, out.stdout
    assert bullets[0].startswith(f"- Changed risk {risk['id']} (")
    assert f"residual likelihood {old} (" in bullets[0]
    assert f"→ {new} (" in bullets[0]


def test_invalid_file_imports_nothing(everything_yaml: Path, tmp_path: Path, db: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        everything_yaml.read_text().replace("impact: 3}\n    current", "impact: 0}\n    current"),
        encoding="utf-8",
    )
    out = run_riskatlas(["import", str(everything_yaml), str(bad)], db, tmp_path)
    assert out.returncode == 1
    assert "impact: 0 is below the minimum of 1" in out.stderr
    assert "nothing was imported" in out.stderr
    assert not db.exists() or sum(_row_counts(db).values()) == 0


def test_a_version_in_review_refuses_a_changed_file(
    everything_yaml: Path, tmp_path: Path, db: Path
):
    in_review = tmp_path / "in-review.yaml"
    text = everything_yaml.read_text(encoding="utf-8").replace(
        "  status: draft\n", "  status: in_review\n", 1
    )
    in_review.write_text(text, encoding="utf-8")
    first = run_riskatlas(["import", str(in_review)], db, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "created zz-test version 1 (in_review)" in first.stdout
    counts = _row_counts(db)
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace("Street crime in Lima", "Armed street crime"), encoding="utf-8")
    for name in (changed, everything_yaml):  # changed content; a draft of the same number
        out = run_riskatlas(["import", str(name)], db, tmp_path)
        assert out.returncode == 1
        assert (
            "zz-test version 1 is in review; an analyst can withdraw it, or a reviewer return "
            "it to draft, before changes are imported; nothing was imported"
        ) in out.stderr
        assert _row_counts(db) == counts
    exported = tmp_path / "export.yaml"
    assert run_riskatlas(["export", "zz-test", "-o", str(exported)], db, tmp_path).returncode == 0
    assert "Armed street crime" not in exported.read_text(encoding="utf-8")
    assert "status: in_review" in exported.read_text(encoding="utf-8")


def test_unknown_assessment_is_a_clear_error(tmp_path: Path, db: Path):
    out = run_riskatlas(["export", "nowhere-2020"], db, tmp_path)
    assert out.returncode == 1
    assert "no assessment 'nowhere-2020' in the database" in out.stderr
    out = run_riskatlas(["report", "nowhere-2020", "--format", "md"], db, tmp_path)
    assert out.returncode == 1
    assert "no assessment 'nowhere-2020'" in out.stderr
