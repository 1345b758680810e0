import json
from pathlib import Path

from click.testing import CliRunner

from riskatlas.cli import main


def test_import_status_and_baseline_commands(fixtures: Path, store: Path, tmp_path: Path):
    runner = CliRunner()
    first = runner.invoke(
        main, ["data", "import", "acled", str(fixtures / "acled_peru.csv"), "--db", str(store)]
    )
    assert first.exit_code == 0, first.output
    assert "5 added, 0 already present, 3 quarantined, 1 skipped" in first.output
    assert "ACLED sub-event type not in the mapping table: Teleportation" in first.output
    again = runner.invoke(
        main,
        [
            "data",
            "import",
            "acled",
            str(fixtures / "acled_peru.csv"),
            "--db",
            str(store),
            "--format",
            "json",
        ],
    )
    assert json.loads(again.output)["rows_added"] == 0
    for source, name in [("homicide", "homicide.csv"), ("inform", "inform_2020_latin1.csv")]:
        assert (
            runner.invoke(
                main, ["data", "import", source, str(fixtures / name), "--db", str(store)]
            ).exit_code
            == 0
        )
    status = json.loads(
        runner.invoke(main, ["data", "status", "--db", str(store), "--format", "json"]).output
    )
    acled = next(s for s in status["sources"] if s["source"] == "acled")
    assert (acled["rows_loaded"], acled["rows_rejected"]) == (5, 3)
    assert (acled["from"], acled["to"]) == ("2022-03-10", "2022-06-28")
    # Côte d'Ivoire's homicide rate: with INFORM's conflict and governance, three weighted
    # domains, enough for a score (Peru's governance is missing in the INFORM file and its
    # terrorism deaths weigh nothing, so it has two and no score)
    civ = tmp_path / "homicide_civ.csv"
    civ.write_text(
        "iso3,country,year,rate_per_100k,source\n"
        "CIV,Côte d'Ivoire,2019,11.4,World Bank WDI (UNODC/WHO)\n",
        encoding="utf-8",
    )
    assert (
        runner.invoke(main, ["data", "import", "homicide", str(civ), "--db", str(store)]).exit_code
        == 0
    )
    out = tmp_path / "scores.csv"
    result = runner.invoke(main, ["baseline", "--db", str(store), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == (
        "iso3,score,crime,conflict,terrorism,unrest,road_safety,political_stability,"
        "safety_security,indicators,drivers"
    )
    assert [line.split(",")[0] for line in lines[1:]] == ["CIV"]
    # how many indicators it has data for, and what drives its score
    assert lines[1].endswith(",3/12,conflict 78%; political_stability 12%; crime 10%")


def test_unknown_source_and_bad_file(store: Path, tmp_path: Path):
    runner = CliRunner()
    unknown = runner.invoke(main, ["data", "import", "nosuch", "x.csv", "--db", str(store)])
    assert unknown.exit_code == 2 and "nosuch" in unknown.output
    missing = runner.invoke(
        main, ["data", "import", "gpi", str(tmp_path / "gone.csv"), "--db", str(store)]
    )
    assert missing.exit_code == 1 and "gone.csv: no such file" in missing.output


def test_import_records_full_or_sample_and_status_shows_it(
    fixtures: Path, store: Path, tmp_path: Path
):
    runner = CliRunner()
    extract = fixtures / "acled_peru.csv"
    base = ["data", "import", "acled", str(extract), "--db", str(store)]
    assert runner.invoke(main, base).exit_code == 0
    status = ["data", "status", "--db", str(store)]
    text = runner.invoke(main, status).output
    assert "acled_peru.csv: unstated — not stated at import: neither --full nor --sample;" \
        " PER, 2022-03-10 to 2022-06-28" in text  # fmt: skip
    # Re-importing adds no events but records what the file is.
    assert runner.invoke(main, [*base, "--full"]).exit_code == 0
    files = json.loads(runner.invoke(main, [*status, "--format", "json"]).output)["sources"][0]
    [recorded] = files["coverage"]
    assert (recorded["scope"], recorded["basis"]) == ("full", "stated at import with --full")
    assert (recorded["countries"], recorded["from"], recorded["to"]) == (
        ["PER"], "2022-03-10", "2022-06-28"
    )  # fmt: skip
    assert runner.invoke(main, [*base, "--sample"]).exit_code == 0
    assert (
        "acled_peru.csv: sample — stated at import with --sample"
        in runner.invoke(main, status).output
    )
    wrong = runner.invoke(
        main, ["data", "import", "homicide", str(fixtures / "homicide.csv"), "--full"]
    )
    assert wrong.exit_code == 2 and "--full and --sample apply to event sources only" in (
        wrong.output
    )
