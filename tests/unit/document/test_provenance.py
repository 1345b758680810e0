"""Whose each statement is: judgements name who, when and why; quotes must be in the cited text
when it is at hand; what has no provenance is listed (riskatlas.document.provenance)."""

from __future__ import annotations

import copy
from pathlib import Path

from click.testing import CliRunner

from riskatlas.cli import main
from riskatlas.document import dump, validate_text
from riskatlas.document.provenance import check_quotes, normalise_space, unattributed

TEXT = "Kidnapping can be considered a high risk factor in Peru,\nabove all for foreigners."

DOC = {
    "riskatlas": 1,
    "assessment": {
        "slug": "pe-test",
        "title": "Peru test",
        "country": "PE",
        "scope": "Lima",
        "author": {"name": "A. Author"},
        "as_of": "2009-11-29",
    },
    "sources": [
        {
            "id": "report",
            "title": "The report",
            "kind": "commercial",
            "reliability": "B",
            "credibility": 2,
        },
        {
            "id": "editors",
            "title": "Editors' judgement",
            "kind": "analyst",
            "author": "The editors",
            "date": "2026-12-03",
            "reliability": "B",
            "credibility": 3,
        },
    ],
    "areas": [
        {"code": "PE"},
        {
            "code": "PE-LMA",
            "level": 4,
            "level_reason": "Crime peaks here.",
            "evidence": [{"source": "editors", "note": "Set from the crime rating."}],
        },
    ],
    "places": [
        {
            "id": "lima",
            "name": "Lima",
            "area": "PE-LMA",
            "lat": -12.05,
            "lon": -77.04,
            "evidence": [{"source": "editors", "note": "City centre from a gazetteer."}],
        },
    ],
    "risks": [
        {
            "id": "kidnap",
            "title": "Kidnapping",
            "category": "KID",
            "area": "PE",
            "inherent": {"likelihood": 4, "impact": 4},
            "residual": {"likelihood": 3, "impact": 4},
            "rationale": "A high risk factor, says the report.",
            "evidence": [
                {
                    "source": "report",
                    "quote": "Kidnapping can be considered a high risk factor "
                    "in Peru, above all for foreigners.",
                },
                {"source": "editors", "note": "'High risk factor' read as likely x severe."},
            ],
        }
    ],
    "recommendations": [
        {
            "id": "taxi",
            "text": "Book a secure taxi.",
            "priority": "essential",
            "evidence": [{"source": "editors", "note": "Not in the report."}],
        },
    ],
}


def _problems(doc, **options):
    result = validate_text(dump(doc), "doc.yaml", **options)
    return [(p.field, p.message) for p in result.problems]


def test_a_document_with_every_statement_attributed_passes_every_check() -> None:
    assert _problems(DOC, source_texts={"report": TEXT}, provenance=True) == []


def test_whitespace_is_normalised_but_nothing_else() -> None:
    assert normalise_space("  a\n  b\tc ") == "a b c"
    doc = copy.deepcopy(DOC)
    doc["risks"][0]["evidence"][0]["quote"] = "Kidnapping can be considered a HIGH risk factor"
    assert check_quotes(doc, {"report": TEXT})[0].path == ("risks", 0, "evidence", 0, "quote")


def test_a_quote_not_in_the_cited_text_is_refused_at_its_line() -> None:
    doc = copy.deepcopy(DOC)
    doc["risks"][0]["evidence"][0]["quote"] = "Kidnapping is the most common security challenge."
    result = validate_text(dump(doc), "doc.yaml", source_texts={"report": TEXT})
    [problem] = result.problems
    assert problem.field == "risks[0].evidence[0].quote"
    assert "not in the text of source 'report'" in problem.message
    assert problem.line is not None
    text = dump(doc).splitlines()
    assert "most common security challenge" in text[problem.line - 1]


def test_quotes_are_not_checked_without_the_text() -> None:
    doc = copy.deepcopy(DOC)
    doc["risks"][0]["evidence"][0]["quote"] = "Words the report never wrote."
    assert _problems(doc) == []


def test_a_text_for_an_unknown_source_is_said() -> None:
    assert _problems(DOC, source_texts={"nobody": TEXT}) == [
        ("sources", "no source 'nobody' to check quotes against")
    ]


def test_a_judgement_names_who_and_when() -> None:
    doc = copy.deepcopy(DOC)
    del doc["sources"][1]["author"]
    del doc["sources"][1]["date"]
    assert _problems(doc) == [
        ("sources[1]", "a judgement (kind analyst) must name who made it: add author"),
        ("sources[1]", "a judgement (kind analyst) must say when: add date"),
    ]


def test_a_judgement_says_why_and_quotes_nothing() -> None:
    doc = copy.deepcopy(DOC)
    doc["risks"][0]["evidence"][1] = {"source": "editors", "quote": "A high risk factor."}
    assert _problems(doc) == [
        ("risks[0].evidence[1]", "a judgement ('editors') must say why: add note"),
        (
            "risks[0].evidence[1].quote",
            "'editors' is a judgement, not a text: say why in note, quote nothing (a quote is "
            "cited to the source it comes from)",
        ),
    ]


def test_area_and_place_evidence_cite_listed_sources() -> None:
    doc = copy.deepcopy(DOC)
    doc["places"][0]["evidence"][0]["source"] = "gazetteer"
    assert _problems(doc) == [
        ("places[0].evidence[0].source", "no source 'gazetteer' in sources; known: editors, report")
    ]


def test_what_is_stated_without_saying_whose_is_listed() -> None:
    doc = copy.deepcopy(DOC)
    doc["risks"][0]["evidence"] = doc["risks"][0]["evidence"][:1]  # the quote, no judgement
    doc["recommendations"][0].pop("evidence")
    doc["areas"][1].pop("evidence")
    doc["areas"].append({"code": "PE-AYA", "no_go": True})
    doc["places"][0].pop("evidence")
    assert [(p.path, p.message.split(":")[0]) for p in unattributed(doc)] == [
        (("risks", 0, "evidence"), "the ratings are a judgement"),
        (("recommendations", 0, "evidence"), "say whose the recommendation is"),
        (("areas", 1, "evidence"), "a level set by hand is a judgement"),
        (("areas", 2, "evidence"), "say whose decision the no-go area is"),
        (("places", 0, "evidence"), "say where the coordinates come from"),
    ]
    # Without --provenance these are not errors: older files stay valid.
    assert _problems(doc) == []


def test_validate_command_checks_quotes_against_a_source_text(tmp_path: Path) -> None:
    doc = copy.deepcopy(DOC)
    doc["risks"][0]["evidence"][0]["quote"] = "Taxis are the most common problem."
    (tmp_path / "doc.yaml").write_text(dump(doc), encoding="utf-8")
    (tmp_path / "report.txt").write_text(TEXT, encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["validate", str(tmp_path / "doc.yaml")])
    assert plain.exit_code == 0, plain.output
    checked = runner.invoke(
        main,
        [
            "validate",
            "--provenance",
            "--source-text",
            f"report={tmp_path / 'report.txt'}",
            str(tmp_path / "doc.yaml"),
        ],
    )
    assert checked.exit_code == 1
    assert "doc.yaml:" in checked.output
    assert "risks[0].evidence[0].quote: not in the text of source 'report'" in checked.output
    bad = runner.invoke(main, ["validate", "--source-text", "report", str(tmp_path / "doc.yaml")])
    assert bad.exit_code == 2
    assert "give SOURCE_ID=FILE" in bad.output
