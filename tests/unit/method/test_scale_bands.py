"""The likelihood bands at their edges and the estimative-language rules of scales.py."""

import pytest

from riskatlas.method import likelihood_from_probability, likelihood_from_words
from riskatlas.method.scales import impact_scale, likelihood_scale, vocabulary


@pytest.mark.parametrize(
    ("probability", "value"),
    [
        (0.0, 1),  # the lowest probability is a band's lower edge, not out of range
        (0.19999, 1),
        (0.20, 2),  # a band holds its lower edge: [low, high)
        (0.44999, 2),
        (0.45, 3),
        (0.54999, 3),
        (0.55, 4),
        (0.79999, 4),
        (0.80, 5),
        (0.99999, 5),
        (1.0, 5),  # certainty closes the last band
    ],
)
def test_every_band_holds_its_lower_edge_and_not_its_upper(probability, value):
    assert likelihood_from_probability(probability) == value


@pytest.mark.parametrize("probability", [-0.0001, -1.0, 1.0001, 1.5, 2.0])
def test_a_probability_outside_0_to_1_is_refused_with_the_value(probability):
    with pytest.raises(ValueError) as err:
        likelihood_from_probability(probability)
    assert str(err.value) == f"probability must be between 0 and 1, not {probability}"


def test_the_likelihood_bands_are_the_documented_ones():
    bands = [(p.value, p.name, p.probability) for p in likelihood_scale().points]
    assert bands == [
        (1, "very unlikely", (0.0, 0.2)),
        (2, "unlikely", (0.2, 0.45)),
        (3, "possible", (0.45, 0.55)),
        (4, "likely", (0.55, 0.8)),
        (5, "very likely", (0.8, 1.0)),
    ]
    assert likelihood_scale().name == "likelihood"
    assert likelihood_scale().values == (1, 2, 3, 4, 5)


def test_impact_points_have_names_descriptions_and_no_band():
    points = impact_scale().points
    assert [p.name for p in points] == ["negligible", "minor", "moderate", "severe", "critical"]
    assert points[0].description == "No injury; minor loss or disruption."
    assert all(p.probability is None for p in points) and len(points) == 5
    assert impact_scale().name == "impact"


def test_a_point_is_described_by_value_and_name():
    assert likelihood_scale().describe(4) == "4 (likely)"
    assert impact_scale().point(2).label == "2 (minor)"


def test_a_value_off_the_scale_names_the_allowed_values():
    with pytest.raises(ValueError) as err:
        impact_scale().point(6)
    assert str(err.value) == "impact must be one of 1, 2, 3, 4, 5, not 6"


def test_word_scales_list_their_values_in_order():
    assert vocabulary("confidence") == ("low", "moderate", "high")
    assert vocabulary("trend") == ("rising", "stable", "falling", "new", "unknown")


def test_among_phrases_of_equal_length_the_first_in_the_text_wins():
    # "probable" and "unlikely" both have 8 letters: the first one written is the estimate.
    first = likelihood_from_words("An attack is probable, a coup unlikely.")
    assert first is not None and first.likelihood == 4
    second = likelihood_from_words("A coup is unlikely, an attack probable.")
    assert second is not None and second.likelihood == 2


def test_the_longest_phrase_wins_wherever_it_stands():
    term = likelihood_from_words("Unlikely, some say; others think it almost certain.")
    assert term is not None
    assert term.words == ("almost certain", "almost certainly", "nearly certain")
    assert term.probability == (0.95, 0.99)
    assert term.likelihood == 5


def test_estimative_words_are_whole_words_in_any_case():
    term = likelihood_from_words("PROBABLY not")
    assert term is not None and term.likelihood == 4
    assert likelihood_from_words("improbabilities abound") is None
    assert likelihood_from_words("") is None
