import pytest

from riskatlas.method import (
    impact_scale,
    likelihood_from_probability,
    likelihood_from_words,
    likelihood_scale,
)


def test_likelihood_scale_names_and_bands():
    names = [p.name for p in likelihood_scale().points]
    assert names == ["very unlikely", "unlikely", "possible", "likely", "very likely"]
    assert likelihood_from_probability(0.1) == 1
    assert likelihood_from_probability(0.3) == 2
    assert likelihood_from_probability(0.5) == 3
    assert likelihood_from_probability(0.7) == 4
    assert likelihood_from_probability(0.9) == 5
    assert likelihood_from_probability(1.0) == 5
    with pytest.raises(ValueError):
        likelihood_from_probability(1.5)


def test_impact_scale_is_about_people():
    assert impact_scale().point(5).name == "critical"
    assert "Death" in impact_scale().point(5).description
    assert "kidnap" in impact_scale().point(4).description


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("outright combat seems unlikely", 2),
        ("they are assessed of being probably the greatest threat", 4),
        ("an attack is almost certain within weeks", 5),
        ("there is almost no chance of a coup", 1),
        ("an escalation is very unlikely", 1),
        ("a strike is highly probable", 5),
        ("a roughly even chance of protests", 3),
    ],
)
def test_estimative_words_map_to_the_scale(sentence, value):
    term = likelihood_from_words(sentence)
    assert term is not None
    assert term.likelihood == value


def test_longest_phrase_wins_and_plain_text_has_no_estimate():
    term = likelihood_from_words("It is very unlikely, not merely unlikely.")
    assert term is not None and "very unlikely" in term.words
    assert likelihood_from_words("The road is long.") is None
