"""What `riskatlas extract` writes, as plain calls (riskatlas.extraction.outputs)."""

from __future__ import annotations

from riskatlas.extraction.outputs import document_draft, extract_lines, parse_line, source_format

NOTE = "Armed robbery is rising in Lima."


def test_parse_line_names_the_field_at_fault():
    assert parse_line('{"id": 1, "text": "x"}') == ({"id": 1, "text": "x"}, None)
    assert parse_line("nope")[1] == ("(line)", "not JSON: Expecting value at column 1")
    assert parse_line("[1]")[1] == ("(line)", "expected an object with id and text")
    assert parse_line('{"text": "x"}')[1] == ("id", "missing")
    assert parse_line('{"id": 2, "text": 3}')[1] == ("text", "missing or not a string")


def test_extract_lines_skips_blank_lines_but_counts_them():
    lines = [f'{{"id": "a", "text": "{NOTE}"}}', "", '{"id": "b"}']
    done = list(extract_lines(lines, use_model=False))
    assert [d.number for d in done] == [1, 3]
    assert done[0].problem is None and done[0].output["id"] == "a" and "sentences" in done[0].output
    assert done[1].problem == ("text", "missing or not a string")
    assert done[1].output == {"id": "b", "line": 3, "error": "text: missing or not a string"}


def test_document_draft_carries_the_text_only_when_it_was_extracted():
    assert source_format("notes.HTML") == "html" and source_format("README") == "text"
    plain = document_draft(NOTE, "notes.txt", "txt", use_model=False)
    assert plain["source"] == {"path": "notes.txt", "format": "txt"} and "text" not in plain
    assert document_draft(NOTE, "page.html", "html", use_model=False)["text"] == NOTE
