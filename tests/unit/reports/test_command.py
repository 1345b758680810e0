"""`riskatlas report FILE.yaml --format html|pdf|md [-o OUT]`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from riskatlas.cli import main
from riskatlas.commands.report import AssessmentNotFound, resolve_document
from tests.unit.reports.conftest import DOCUMENTS

MINIMAL = DOCUMENTS / "minimal.yaml"


def test_report_writes_markdown(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = CliRunner().invoke(main, ["report", str(MINIMAL), "--format", "md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# Minimal assessment")


def test_report_html_to_standard_output() -> None:
    result = CliRunner().invoke(main, ["report", str(MINIMAL), "--format", "html", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert '<h1 class="cover-title">Minimal assessment</h1>' in result.output


def test_default_output_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report", str(MINIMAL), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "minimal-fixture-v1.md").is_file()


def test_invalid_file_fails_with_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.read_text(encoding="utf-8").replace("likelihood: 2", "likelihood: 9"))
    result = CliRunner().invoke(main, ["report", str(bad), "--format", "md", "-o", "-"])
    assert result.exit_code == 1
    assert f"{bad}:" in result.output and "likelihood" in result.output


def test_missing_file_is_a_clear_error() -> None:
    # Unknown assessments in the database: tests/integration/test_command_line.py.
    with pytest.raises(AssessmentNotFound, match="no such file"):
        resolve_document("missing.yaml")
