"""The workbook of every part on the command line, as a user runs it (a real `riskatlas`
process on an empty SQLite file): `export -o FILE.xlsx`, then `import FILE.xlsx` into another
database gives the same assessment; a bad cell stops the import naming sheet, row and column;
`report --format docx` of an imported assessment."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from tests.integration.conftest import own_sqlite_files, run_riskatlas

pytestmark = own_sqlite_files


def test_export_workbook_then_import_it_elsewhere(everything_yaml: Path, tmp_path: Path):
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    assert run_riskatlas(["import", str(everything_yaml)], first, tmp_path).returncode == 0
    book = tmp_path / "zz.xlsx"
    out = run_riskatlas(["export", "zz-test", "-o", str(book)], first, tmp_path)
    assert out.returncode == 0, out.stderr
    assert load_workbook(book).sheetnames[0] == "Risk register"

    imported = run_riskatlas(["import", str(book)], second, tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "created zz-test version 1" in imported.stdout
    yaml_first, yaml_second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert (
        run_riskatlas(["export", "zz-test", "-o", str(yaml_first)], first, tmp_path).returncode == 0
    )
    assert (
        run_riskatlas(["export", "zz-test", "-o", str(yaml_second)], second, tmp_path).returncode
        == 0
    )
    assert yaml_first.read_text(encoding="utf-8") == yaml_second.read_text(encoding="utf-8")

    word = tmp_path / "zz.docx"
    out = run_riskatlas(
        ["report", "zz-test", "--format", "docx", "-o", str(word)], second, tmp_path
    )
    assert out.returncode == 0, out.stderr
    titles = [p.text for p in Document(str(word)).paragraphs if p.style.name == "Title"]
    assert titles == ["Testland security risk assessment"]


def test_a_bad_cell_imports_nothing(everything_yaml: Path, tmp_path: Path):
    db = tmp_path / "db.sqlite3"
    assert run_riskatlas(["import", str(everything_yaml)], db, tmp_path).returncode == 0
    book_path = tmp_path / "bad.xlsx"
    assert run_riskatlas(["export", "zz-test", "-o", str(book_path)], db, tmp_path).returncode == 0
    book = load_workbook(book_path)
    book["Sources"]["G2"] = "Z"  # reliability
    book.save(book_path)
    out = run_riskatlas(["import", str(book_path)], tmp_path / "other.sqlite3", tmp_path)
    assert out.returncode == 1
    assert f"{book_path}: sheet 'Sources', row 2, column 'reliability': 'Z'" in out.stderr
    assert "1 problem(s); nothing was imported" in out.stderr
