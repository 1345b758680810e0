"""Every field of a diff's changes (section, key, field, kind, old, new, sentence)."""

import pytest

from riskatlas.document import diff_documents
from riskatlas.document.diff import Change

SMALL_3X3 = {
    "id": "small-3x3",
    "version": 2,
    "name": "Small",
    "likelihood_values": [1, 2, 3],
    "impact_values": [1, 2, 3],
    "levels": [
        {"code": "LO", "name": "low", "colour": "#0f0", "rank": 1},
        {"code": "HI", "name": "high", "colour": "#f00", "rank": 2},
    ],
    "grid": [["LO", "LO", "LO"], ["LO", "LO", "HI"], ["LO", "HI", "HI"]],
}


def risk(**fields):
    base = {
        "id": "r1",
        "title": "Road accidents",
        "inherent": {"likelihood": 4, "impact": 4},
        "current": {"likelihood": 3, "impact": 4},
        "residual": {"likelihood": 2, "impact": 4},
    }
    return {**base, **fields}


def test_a_changed_risk_gives_every_field_of_the_change():
    old = {"risks": [risk()]}
    new = {"risks": [risk(current={"likelihood": 4, "impact": 4}, owner="Logistics")]}
    [change] = diff_documents(old, new)
    assert change == Change(
        section="risks",
        key="r1",
        field="current.likelihood,owner",
        kind="changed",
        old=old["risks"][0],
        new=new["risks"][0],
        # (3, 4) and (4, 4) are both "high" on the default matrix: no level sentence.
        sentence="Changed risk r1 (Road accidents): current likelihood 3 (possible) → 4 (likely); "
        "owner added: “Logistics”.",
    )


def test_every_moved_level_is_said_even_after_one_that_did_not_move():
    # inherent: same rating; current: moved within one level; residual: moved level.
    old = {"risks": [risk()]}
    new = {
        "risks": [
            risk(current={"likelihood": 3, "impact": 5}, residual={"likelihood": 4, "impact": 4})
        ]
    }
    [change] = diff_documents(old, new)
    assert change.sentence == (
        "Changed risk r1 (Road accidents): current impact 4 (severe) → 5 (critical); "
        "residual likelihood 2 (unlikely) → 4 (likely); residual level medium → high."
    )
    assert change.field == "current.impact,residual.likelihood"


def test_a_rating_off_the_matrix_is_skipped_and_the_next_level_still_said():
    # The new matrix is 3×3: the new inherent rating (4, 4) is not on it, the residual is.
    old = {"risks": [risk(residual={"likelihood": 1, "impact": 1})]}
    new = {
        "matrix": SMALL_3X3,
        "risks": [
            risk(
                inherent={"likelihood": 4, "impact": 5},
                residual={"likelihood": 3, "impact": 3},
            )
        ],
    }
    risk_changes = [c for c in diff_documents(old, new) if c.section == "risks"]
    assert [c.sentence for c in risk_changes] == [
        "Changed risk r1 (Road accidents): inherent impact 4 (severe) → 5 (critical); "
        "residual likelihood 1 (very unlikely) → 3 (possible); "
        "residual impact 1 (negligible) → 3 (moderate); residual level very low → high."
    ]


def test_a_rating_missing_on_one_side_gives_no_level_sentence():
    old = {"risks": [{k: v for k, v in risk().items() if k != "inherent"}]}
    new = {"risks": [risk()]}
    [change] = diff_documents(old, new)
    assert change.sentence == (
        "Changed risk r1 (Road accidents): inherent added: {likelihood: 4, impact: 4}."
    )
    assert (change.field, change.kind) == ("inherent", "changed")


def test_a_rating_that_is_not_a_number_is_shown_as_written():
    old = {"risks": [risk(residual={"likelihood": "two", "impact": 4})]}
    new = {"risks": [risk(residual={"likelihood": 3, "impact": 4})]}
    [change] = diff_documents(old, new)
    assert change.sentence == (
        "Changed risk r1 (Road accidents): residual likelihood “two” → 3 (possible)."
    )


def test_an_added_risk_says_its_residual_level_and_one_without_rating_does_not():
    old = {"risks": []}
    new = {"risks": [risk(), {"id": "r2", "title": "Unrated"}]}
    changes = diff_documents(old, new)
    assert changes == [
        Change(
            "risks",
            "r1",
            "",
            "added",
            None,
            new["risks"][0],
            "Added risk r1 (Road accidents), residual level medium.",
        ),
        Change("risks", "r2", "", "added", None, new["risks"][1], "Added risk r2 (Unrated)."),
    ]


def test_an_added_risk_is_rated_on_the_new_matrix():
    new = {"matrix": SMALL_3X3, "risks": [risk(residual={"likelihood": 3, "impact": 2})]}
    old = {"matrix": SMALL_3X3}
    [change] = diff_documents(old, new)
    assert change.sentence == "Added risk r1 (Road accidents), residual level high."
    rated_off = {"matrix": SMALL_3X3, "risks": [risk()]}  # residual (2, 4): off the 3×3
    assert diff_documents(old, rated_off)[0].sentence == "Added risk r1 (Road accidents)."


def test_a_removed_thing_keeps_what_it_was():
    item = {"id": "s1", "title": "Field notes"}
    [change] = diff_documents({"sources": [item]}, {"sources": []})
    assert change == Change(
        "sources", "s1", "", "removed", item, None, "Removed source s1 (Field notes)."
    )


@pytest.mark.parametrize(
    ("section", "item", "sentence"),
    [
        ("sources", {"id": "s1"}, "Added source s1."),
        ("areas", {"code": "PE-LMA", "name": "Lima"}, "Added area PE-LMA (Lima)."),
        ("places", {"id": "lima", "name": "Lima"}, "Added place lima (Lima)."),
        ("actors", {"id": "gang", "name": "A gang"}, "Added actor gang (A gang)."),
        ("incidents", {"id": "i1", "title": "Robbery"}, "Added incident i1 (Robbery)."),
        ("threats", {"category": "CRM", "text": "Crime up"}, "Added threat CRM (Crime up)."),
        ("mitigations", {"code": "M1", "name": "Taxis"}, "Added mitigation M1 (Taxis)."),
        ("recommendations", {"id": "rec1", "text": "Go"}, "Added recommendation rec1 (Go)."),
        ("watch_items", {"id": "w1", "text": "Strikes"}, "Added watch item w1 (Strikes)."),
        ("official_advice", {"government": "UK"}, "Added official advice UK."),
    ],
)
def test_each_section_names_its_things_by_their_identity(section, item, sentence):
    [added] = diff_documents({}, {section: [item]})
    assert (added.section, added.sentence, added.kind, added.old, added.new) == (
        section,
        sentence,
        "added",
        None,
        item,
    )
    [changed] = diff_documents({section: [item]}, {section: [{**item, "note": "n"}]})
    assert (changed.kind, changed.field) == ("changed", "note")


def test_a_label_prefers_title_then_name_then_text_and_cuts_long_names():
    sixty = "x" * 60
    sixty_one = "y" * 61
    changes = diff_documents(
        {},
        {
            "actors": [
                {"id": "a", "title": "T", "name": "N", "text": "X"},
                {"id": "b", "name": "N", "text": "X"},
                {"id": "c", "name": sixty},
                {"id": "d", "name": sixty_one},
            ]
        },
    )
    assert [c.sentence for c in changes] == [
        "Added actor a (T).",
        "Added actor b (N).",
        f"Added actor c ({sixty}).",
        f"Added actor d ({'y' * 57}…).",
    ]


def test_values_are_shown_quoted_cut_listed_or_as_nothing():
    long = "w" * 81
    old = {"assessment": {"a": "x" * 80, "b": [1, {"k": "v"}], "c": None, "d": 2, "e": 1}}
    new = {"assessment": {"a": "short", "b": [2], "c": 5, "d": None, "f": long}}
    changes = diff_documents(old, new)
    assert [(c.section, c.key, c.field, c.kind, c.old, c.new) for c in changes] == [
        ("assessment", "", "a", "changed", "x" * 80, "short"),
        ("assessment", "", "b", "changed", [1, {"k": "v"}], [2]),
        ("assessment", "", "c", "changed", None, 5),
        ("assessment", "", "d", "changed", 2, None),
        ("assessment", "", "e", "changed", 1, None),
        ("assessment", "", "f", "changed", None, long),
    ]
    assert [c.sentence for c in changes] == [
        f"Assessment: a “{'x' * 80}” → “short”.",
        "Assessment: b [1, {k: “v”}] → [2].",
        "Assessment: c added: 5.",
        "Assessment: d removed (was 2).",
        "Assessment: e removed (was 1).",
        f"Assessment: f added: “{'w' * 77}…”.",
    ]


def test_nested_fields_are_named_by_their_path():
    old = {"assessment": {"author": {"name": "Ana", "organisation": "NGO"}}}
    new = {"assessment": {"author": {"name": "Bea", "email": "b@example.org"}}}
    assert [(c.field, c.old, c.new) for c in diff_documents(old, new)] == [
        ("author.name", "Ana", "Bea"),
        ("author.organisation", "NGO", None),
        ("author.email", None, "b@example.org"),
    ]


def test_a_long_text_is_described_by_the_words_that_changed():
    before = "The government is stable and the capital is calm; protests are rare and small " * 2
    after = before.replace("stable", "fragile").replace("rare and ", "").replace("calm;", "calm")
    after += "curfew"
    [change] = diff_documents(
        {"assessment": {"summary": before}}, {"assessment": {"summary": after}}
    )
    assert change.sentence == (
        "Assessment: summary reworded: “stable” → “fragile”; “calm;” → “calm”; "
        "removed “rare and”; …."
    )
    short_edit = {"assessment": {"summary": before.strip() + " today"}}
    [added] = diff_documents({"assessment": {"summary": before.strip()}}, short_edit)
    assert added.sentence == "Assessment: summary reworded: added “today”."
    [removed] = diff_documents(short_edit, {"assessment": {"summary": before.strip()}})
    assert removed.sentence == "Assessment: summary reworded: removed “today”."


def test_the_matrix_change_names_both_matrices():
    [change] = diff_documents({}, {"matrix": SMALL_3X3})
    assert change == Change(
        "matrix",
        "",
        "",
        "changed",
        None,
        SMALL_3X3,
        "Risk matrix changed from default-5x5 v1 to small-3x3 v2.",
    )


def test_exposure_changes_are_fields_of_the_exposure():
    old = {"exposure": {"groups": [{"id": "g"}]}}
    new = {"exposure": {"groups": [{"id": "g"}], "sites": [{"name": "Office"}]}}
    assert diff_documents(old, new) == [
        Change(
            "exposure",
            "",
            "sites",
            "changed",
            None,
            [{"name": "Office"}],
            "Exposure: sites added: [{name: “Office”}].",
        ),
    ]
    assert diff_documents({"exposure": None}, {}) == []


def test_context_sections_are_matched_by_topic_and_title():
    gov = {"topic": "political", "title": "Government", "text": "Stable."}
    roads = {"topic": "transport", "title": "Roads", "text": "Poor."}
    changes = diff_documents(
        {"context": [gov, roads]},
        {"context": [{**gov, "text": "Fragile."}, {**roads, "topic": "travel"}]},
    )
    assert changes == [
        Change(
            "context",
            "transport/Roads",
            "",
            "removed",
            roads,
            None,
            "Removed context section “Roads”.",
        ),
        Change(
            "context",
            "political/Government",
            "",
            "changed",
            gov,
            {**gov, "text": "Fragile."},
            "Changed context section “Government”: text “Stable.” → “Fragile.”.",
        ),
        Change(
            "context",
            "travel/Roads",
            "",
            "added",
            None,
            {**roads, "topic": "travel"},
            "Added context section “Roads”.",
        ),
    ]


def test_inherent_and_current_levels_are_said_when_they_move():
    old = {"risks": [risk()]}
    new = {
        "risks": [
            risk(inherent={"likelihood": 5, "impact": 5}, current={"likelihood": 2, "impact": 4})
        ]
    }
    [change] = diff_documents(old, new)
    assert change.sentence == (
        "Changed risk r1 (Road accidents): inherent likelihood 4 (likely) → 5 (very likely); "
        "inherent impact 4 (severe) → 5 (critical); current likelihood 3 (possible) → "
        "2 (unlikely); inherent level high → very high; current level high → medium."
    )


def test_an_unchanged_rating_says_no_level_even_on_a_new_matrix():
    # The matrix change is its own change; a rating that did not move gets no level sentence.
    old = {"risks": [risk(inherent={"likelihood": 3, "impact": 3}, residual=None)]}
    new = {
        "matrix": SMALL_3X3,
        "risks": [risk(inherent={"likelihood": 3, "impact": 3}, residual=None, owner="Ops")],
    }
    risk_change = next(c for c in diff_documents(old, new) if c.section == "risks")
    assert risk_change.sentence == "Changed risk r1 (Road accidents): owner added: “Ops”."


def test_lists_show_text_plainly_and_mappings_show_nothing_for_none():
    old = {"assessment": {"tags": ["north", 2], "author": {"name": "Ana"}}}
    new = {"assessment": {"tags": ["south"], "author": ["x", {"name": None}]}}
    assert [c.sentence for c in diff_documents(old, new)] == [
        "Assessment: tags [north, 2] → [south].",
        "Assessment: author {name: “Ana”} → [x, {name: nothing}].",
    ]


def test_a_reworded_text_lists_up_to_three_edits_and_marks_more():
    words = [f"word{n}" for n in range(40)]
    base = " ".join(words)

    def edited(*positions):
        return " ".join("CHANGED" if i in positions else w for i, w in enumerate(words))

    def sentence(after):
        [change] = diff_documents({"assessment": {"s": base}}, {"assessment": {"s": after}})
        return change.sentence

    assert sentence(edited(1, 10, 20)) == (
        "Assessment: s reworded: “word1” → “CHANGED”; “word10” → “CHANGED”; “word20” → “CHANGED”."
    )
    assert sentence(edited(1, 10, 20, 30)) == (
        "Assessment: s reworded: “word1” → “CHANGED”; “word10” → “CHANGED”; "
        "“word20” → “CHANGED”; …."
    )
    two_words = base.replace("word5 word6", "two new words")
    assert sentence(two_words) == "Assessment: s reworded: “word5 word6” → “two new words”."
    added = base.replace("word5", "word5 and more")
    assert sentence(added) == "Assessment: s reworded: added “and more”."


@pytest.mark.parametrize(
    ("old", "new", "sentence"),
    [
        # either text over 80 characters: described by the words that changed
        ("a " * 40 + "b", "a b", "Assessment: s reworded: removed “a a a a a a a a a a a a a a a "
         "a a a a a a a a a a a a a a a a a a a a a a a a”."),
        ("a b", "a " * 40 + "b", "Assessment: s reworded: added “a a a a a a a a a a a a a a a a "
         "a a a a a a a a a a a a a a a a a a a a a a a”."),
        # both at most 80: shown whole
        ("a b", "c" * 80, f"Assessment: s “a b” → “{'c' * 80}”."),
        ("c" * 80, "a b", f"Assessment: s “{'c' * 80}” → “a b”."),
    ],
)  # fmt: skip
def test_a_text_over_80_characters_on_either_side_is_described_by_its_edits(old, new, sentence):
    [change] = diff_documents({"assessment": {"s": old}}, {"assessment": {"s": new}})
    assert change.sentence == sentence


def test_a_matrix_replaced_by_another_keeps_both():
    wide = {**SMALL_3X3, "id": "other", "version": 7}
    [change] = diff_documents({"matrix": SMALL_3X3}, {"matrix": wide})
    assert (change.old, change.new) == (SMALL_3X3, wide)
    assert change.sentence == "Risk matrix changed from small-3x3 v2 to other v7."


def test_equal_details_of_any_shape_are_no_change():
    assert diff_documents({"assessment": "same"}, {"assessment": "same"}) == []


def test_a_context_section_lists_each_changed_field():
    gov = {"topic": "political", "title": "Government", "text": "Stable.", "note": "a"}
    [change] = diff_documents(
        {"context": [gov]}, {"context": [{**gov, "text": "Calm.", "note": "b"}]}
    )
    assert change.sentence == (
        "Changed context section “Government”: text “Stable.” → “Calm.”; note “a” → “b”."
    )
