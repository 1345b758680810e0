import pytest

from riskatlas.method import Matrix, default_matrix, score_risk
from riskatlas.method.matrix import MatrixError


def test_default_matrix_corners_and_bands():
    m = default_matrix()
    assert m.level(1, 1).name == "very low"
    assert m.level(5, 5).name == "very high"
    assert m.level(5, 1).name == "medium"  # very likely but negligible
    assert m.level(1, 5).name == "medium"  # very unlikely but critical
    assert [lv.name for lv in m.levels] == ["very low", "low", "medium", "high", "very high"]


def test_matrix_is_monotonic_in_likelihood_and_impact():
    m = default_matrix()
    for li in m.likelihood_values:
        for im in m.impact_values:
            rank = m.level(li, im).rank
            if li < 5:
                assert m.level(li + 1, im).rank >= rank
            if im < 5:
                assert m.level(li, im + 1).rank >= rank


def test_values_off_the_scale_are_refused_with_the_allowed_values():
    with pytest.raises(ValueError, match=r"likelihood must be one of \[1, 2, 3, 4, 5\], not 9"):
        default_matrix().level(9, 3)


def test_matrix_round_trips_through_its_data_form():
    m = default_matrix()
    assert Matrix.from_dict(m.to_dict()) == m


def test_a_grid_using_an_unknown_level_is_refused():
    data = default_matrix().to_dict()
    data["grid"][0][0] = "XX"
    with pytest.raises(MatrixError, match="unknown level 'XX'"):
        Matrix.from_dict(data)


def test_a_grid_of_the_wrong_shape_is_refused():
    data = default_matrix().to_dict()
    data["grid"].pop()
    with pytest.raises(MatrixError, match="4 rows for 5 impact values"):
        Matrix.from_dict(data)


def test_a_three_by_three_matrix_works():
    m = Matrix.from_dict(
        {
            "id": "simple-3x3",
            "version": 2,
            "likelihood_values": [1, 2, 3],
            "impact_values": [1, 2, 3],
            "levels": [
                {"code": "L", "name": "low", "colour": "#00aa00", "rank": 1},
                {"code": "M", "name": "medium", "colour": "#ffaa00", "rank": 2},
                {"code": "H", "name": "high", "colour": "#aa0000", "rank": 3},
            ],
            "grid": [["L", "L", "M"], ["L", "M", "H"], ["M", "H", "H"]],
        }
    )
    assert m.level(3, 3).name == "high"
    assert len(m.cells()) == 9


def test_scoring_inherent_current_residual():
    m = default_matrix()
    scores = score_risk(m, inherent=(5, 5), current=(4, 5), residual=(3, 4))
    assert scores.inherent.level.name == "very high"
    assert scores.current is not None and scores.current.level.name == "very high"
    assert scores.residual.level.name == "high"
    assert scores.residual.score == 12
    assert scores.reduction == 1
    assert "likelihood 3 (possible)" in scores.residual.describe()


def test_residual_defaults_to_current_then_inherent():
    m = default_matrix()
    assert score_risk(m, (4, 4)).residual.level == m.level(4, 4)
    assert score_risk(m, (4, 4), current=(2, 4)).residual.level == m.level(2, 4)
