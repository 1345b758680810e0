"""`riskatlas advice`: levels read from advice pages or the store, as JSON and as a table."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from riskatlas.cli import main
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.store import connect


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["advice", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_json_records_from_a_folder_of_pages(fixtures: Path):
    code, out, err = _run(str(fixtures / "advisories"), "--format", "json")
    assert (code, err) == (0, "")
    records = json.loads(out)
    by_key = {(r["government"], r["area"]): r for r in records}
    assert set(by_key) == {
        ("canada", "PE"), ("canada", "PE-PUN"), ("unitedstates", "PE")
    }  # fmt: skip
    puno = by_key[("canada", "PE-PUN")]
    assert (puno["country"], puno["level"]) == ("PE", 3)
    assert puno["text"] == "Avoid non-essential travel to Puno due to protests."
    us = by_key[("unitedstates", "PE")]
    assert (us["level"], us["date"]) == (2, "2025-05-16")  # "Travel Advisory May 16, 2025"
    assert us["text"] == "Peru - Level 2: Exercise Increased Caution"
    # Named places smaller than a subdivision only on request, with no ISO code.
    _code, out, _err = _run(str(fixtures / "advisories"), "--format", "json", "--places")
    places = [r for r in json.loads(out) if r["place"]]
    assert [(p["name"], p["area"], p["level"]) for p in places][:1] == [("the VRAEM", None, 4)]


def test_the_imported_store_without_a_path(fixtures: Path, store: Path):
    con = connect(store)
    import_file(con, "advisories", fixtures / "advisories")
    con.close()
    code, out, _err = _run("--format", "json", env={"RISKATLAS_EVENTS_DB": str(store)})
    assert code == 0
    from_store = {(r["government"], r["area"], r["level"], r["date"]) for r in json.loads(out)}
    _code, out, _err = _run(str(fixtures / "advisories"), "--format", "json")
    from_pages = {(r["government"], r["area"], r["level"], r["date"]) for r in json.loads(out)}
    assert from_store == from_pages


def test_table_and_refusals_name_what_was_wrong(fixtures: Path, tmp_path: Path):
    code, out, _err = _run(str(fixtures / "advisories"), "--country", "Peru")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["government", "country", "area", "level", "date", "text"]
    assert any(r.split()[:4] == ["canada", "PE", "PE-PUN", "3"] for r in rows)
    (tmp_path / "ruritania" / "Peru").mkdir(parents=True)
    code, _out, err = _run(str(tmp_path))
    assert code == 1 and f"{tmp_path}/ruritania: not a government read here" in err
    code, _out, err = _run(str(fixtures / "advisories"), "--country", "Atlantis")
    assert code != 0 and "country not recognised: 'Atlantis'" in err
    code, _out, err = _run(env={"RISKATLAS_EVENTS_DB": str(tmp_path / "none.duckdb")})
    assert code == 1 and "no evidence store yet" in err


def test_colombia_from_the_shared_pages(shared_data: Path):
    code, out, err = _run(str(shared_data / "advisories"), "--format", "json", "--country", "CO")
    assert (code, err) == (0, "")
    levels = {(r["government"], r["area"]): r for r in json.loads(out)}
    for area in ("CO-ARA", "CO-CAU"):
        assert levels[("unitedstates", area)]["level"] == 4
        assert levels[("unitedstates", area)]["date"] == "2025-04-17"
    assert levels[("unitedkingdom", "CO-ARA")]["level"] == 3
    assert levels[("canada", "CO-CAU")]["note"] == "excluding the city of Popayan"
    assert levels[("australia", "CO-CAU")]["level"] == 4


def test_help_names_the_record_fields():
    result = CliRunner().invoke(main, ["advice", "--help"])
    assert result.exit_code == 0
    assert "ISO 3166-2" in result.stdout and "[table|json]" in result.stdout
