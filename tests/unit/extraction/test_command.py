"""``riskatlas extract`` as a user runs it: files, stdin, YAML, JSON Lines batches, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from riskatlas.cli import main

NOTE = (
    "Kidnapping is a high risk in Lima, Peru. It is recommended to use a secure taxi "
    "company. On 9th June 2003 gunmen abducted six workers near Ayacucho.\n"
)


def test_file_to_json(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    draft = json.loads(result.output)
    assert draft["engine"].startswith("riskatlas-lexicon")
    assert draft["source"] == {"path": str(path), "format": "txt"}
    assert {p["iso_3166"] for p in draft["places"]} == {"PE-LMA", "PE", "PE-AYA"}
    assert draft["incidents"][0]["when"]["date"] == "2003-06-09"
    for key in ("sentences", "places", "actors", "incidents", "trends", "recommendations"):
        assert key in draft
    assert draft["sentences"]
    for sentence in draft["sentences"]:
        assert NOTE[sentence["start"] : sentence["end"]] == sentence["text"]


def test_stdin_to_yaml() -> None:
    result = CliRunner().invoke(main, ["extract", "-", "--format", "yaml"], input=NOTE)
    assert result.exit_code == 0, result.output
    draft = yaml.safe_load(result.output)
    assert draft["source"]["format"] == "text"
    assert draft["recommendations"][0]["mitigation"]["code"] == "MOV-SECURE-TAXI"


def test_html_output_carries_the_text_its_offsets_index(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<p>Protests are <b>likely</b> in Cusco, Peru.</p>", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path)])
    draft = json.loads(result.output)
    cusco = next(p for p in draft["places"] if p["name"] == "Cusco")
    assert draft["text"][cusco["start"] : cusco["end"]] == "Cusco"
    assert draft["likelihood"][0]["likelihood"] == 4


def test_jsonl_batch_reports_bad_lines_and_keeps_the_good(tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "text": "Riots broke out in Quito, Ecuador in 2019."})
        + "\n{not json\n"
        + json.dumps({"id": "c"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", "--jsonl", str(batch), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{batch}:2: (line): not JSON" in result.output
    assert f"{batch}:3: text: missing or not a string" in result.output
    assert "2 line(s)" in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", None, "c"]
    assert lines[0]["places"][0]["name"] == "Quito"
    assert lines[0]["incidents"][0]["when"]["date"] == "2019"
    assert lines[2]["error"] == "text: missing or not a string"


def test_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["extract"]).exit_code == 2
    missing = runner.invoke(main, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    odd = tmp_path / "x.xlsx"
    odd.write_bytes(b"")
    unsupported = runner.invoke(main, ["extract", str(odd)])
    assert unsupported.exit_code == 1 and "unsupported file type" in unsupported.output


def test_real_process_on_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from riskatlas.cli import main; main()", "extract", "-"],
        input="Shining Path (SL) remnants are active near Ayacucho, Peru.",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    draft = json.loads(result.stdout)
    assert draft["actors"][0]["name"] == "Shining Path"
    assert draft["actors"][0]["aliases"] == ["SL"]
