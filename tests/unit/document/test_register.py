"""The register spreadsheet: export, and import that names the row and column of a problem."""

import csv
import io
from pathlib import Path

import pytest

from riskatlas.document import load_document
from riskatlas.document.register import (
    HEADINGS,
    RegisterError,
    apply_register,
    read_register,
    register_csv,
    register_xlsx,
)


def test_csv_export_has_levels(everything_yaml: Path):
    rows = list(csv.reader(io.StringIO(register_csv(load_document(everything_yaml)))))
    assert tuple(rows[0]) == HEADINGS
    crime = dict(zip(rows[0], rows[1], strict=True))
    assert crime["id"] == "crime-lima"
    assert crime["inherent level"] == "high"
    assert crime["residual level"] == "medium"
    assert crime["measures"] == "MOV-SECURE-TAXI, LOCAL-GUARD"


def test_xlsx_round_trip_changes_nothing(everything_yaml: Path, tmp_path: Path):
    doc = load_document(everything_yaml)
    path = tmp_path / "register.xlsx"
    path.write_bytes(register_xlsx(doc))
    assert apply_register(doc, read_register(path), path.name) == doc


def test_edited_rows_update_and_add_risks(everything_yaml: Path, tmp_path: Path):
    doc = load_document(everything_yaml)
    text = register_csv(doc).replace("crime-lima,Street crime in Lima", "crime-lima,Muggings")
    text += "new-risk,Protests,UNR,PE,,,3,2,,,,2,2,,stable,moderate,,,Frequent marches\n"
    path = tmp_path / "register.csv"
    path.write_text(text, encoding="utf-8")
    new = apply_register(doc, read_register(path), path.name)
    assert [r["title"] for r in new["risks"]] == ["Muggings", "Road accident", "Protests"]
    assert new["risks"][2]["residual"] == {"likelihood": 2, "impact": 2}
    assert doc["risks"][0]["title"] == "Street crime in Lima"


def test_bad_rows_are_named_by_row_and_column(everything_yaml: Path, tmp_path: Path):
    doc = load_document(everything_yaml)
    text = register_csv(doc)
    lines = text.splitlines()
    lines[2] = lines[2].replace("Road accident,TRN,PE,,,4,5", "Road accident,TRN,PE,,,9,5")
    lines.append("bad-area,Theft,CRM,PE-XYZ,,,2,2,,,,1,1,,,,,,Some theft")
    path = tmp_path / "register.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        apply_register(doc, read_register(path), path.name)
    messages = [p.format() for p in caught.value.problems]
    assert "register.csv: row 3, column 'inherent likelihood': 9 is above the maximum of 5" in (
        messages
    )
    assert any(
        m.startswith("register.csv: row 4, column 'area': no area 'PE-XYZ'") for m in messages
    )


def test_unknown_and_missing_columns(tmp_path: Path):
    path = tmp_path / "r.csv"
    path.write_text("id,colour\nx,red\n", encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        read_register(path)
    text = str(caught.value)
    assert "column 'colour': unknown column" in text
    assert "column 'title': required column is missing" in text
