"""Matrices other than the default 5×5, security levels by value, and the library's records."""

from pathlib import Path

import pytest
import yaml

from riskatlas.method import area_level, default_taxonomy
from riskatlas.method.levels import security_level, security_levels
from riskatlas.method.matrix import MatrixError, MatrixLevel, default_matrix, load_matrix
from riskatlas.method.mitigations import find_mitigation
from riskatlas.method.taxonomy import Taxonomy

THREE_BY_THREE = {
    "id": "small-3x3",
    "version": 2,
    "name": "Small 3×3",
    "likelihood_values": [1, 2, 3],
    "impact_values": [1, 2, 3],
    "levels": [
        {"code": "LO", "name": "low", "colour": "#00ff00", "rank": 1},
        {"code": "MID", "name": "middle", "colour": "#ffff00", "rank": 2},
        {"code": "HI", "name": "high", "colour": "#ff0000", "rank": 3},
    ],
    "grid": [["LO", "LO", "MID"], ["LO", "MID", "HI"], ["MID", "HI", "HI"]],
}

# Four impact values (rows) by six likelihood values (columns), values not starting at 1.
FOUR_BY_SIX = {
    "id": "wide-4x6",
    "version": 1,
    "likelihood_values": [0, 1, 2, 3, 4, 5],
    "impact_values": [10, 20, 30, 40],
    "levels": [
        {"code": "A", "name": "acceptable", "colour": "#0f0", "rank": 1},
        {"code": "T", "name": "tolerable", "colour": "#ff0", "rank": 2},
        {"code": "U", "name": "unacceptable", "colour": "#f00", "rank": 3},
    ],
    "grid": [
        ["A", "A", "A", "A", "T", "T"],
        ["A", "A", "T", "T", "T", "U"],
        ["A", "T", "T", "U", "U", "U"],
        ["T", "T", "U", "U", "U", "U"],
    ],
}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_3x3_matrix_loads_and_rates_every_cell(tmp_path):
    m = load_matrix(write(tmp_path, THREE_BY_THREE))
    assert (m.id, m.version, m.name) == ("small-3x3", 2, "Small 3×3")
    assert m.level(1, 1) == MatrixLevel("LO", "low", "#00ff00", 1)
    assert m.level(3, 1).code == "MID"  # likelihood 3, impact 1: grid[0][2]
    assert m.level(1, 3).code == "MID"
    assert m.level(2, 3).code == "HI"  # likelihood 2, impact 3: grid[2][1]
    assert [(li, im, lv.code) for li, im, lv in m.cells()] == [
        (1, 3, "MID"),
        (2, 3, "HI"),
        (3, 3, "HI"),
        (1, 2, "LO"),
        (2, 2, "MID"),
        (3, 2, "HI"),
        (1, 1, "LO"),
        (2, 1, "LO"),
        (3, 1, "MID"),
    ]
    assert m.to_dict() == THREE_BY_THREE


def test_a_4x6_matrix_keeps_rows_as_impact_and_columns_as_likelihood(tmp_path):
    m = load_matrix(write(tmp_path, FOUR_BY_SIX))
    assert m.name == "wide-4x6"  # no name: the id stands in
    assert m.likelihood_values == (0, 1, 2, 3, 4, 5)
    assert m.impact_values == (10, 20, 30, 40)
    assert m.level(5, 10).code == "T"
    assert m.level(0, 40).code == "T"
    assert m.level(2, 20).code == "T"
    assert m.level(3, 30).code == "U"
    assert m.level(1, 20).code == "A"
    assert len(m.cells()) == 24
    assert m.cells()[0] == (0, 40, m.level_by_code("T"))
    assert m.cells()[-1] == (5, 10, m.level_by_code("T"))
    with pytest.raises(ValueError) as err:
        m.level(6, 10)
    assert str(err.value) == "likelihood must be one of [0, 1, 2, 3, 4, 5], not 6"
    with pytest.raises(ValueError) as err:
        m.level(1, 15)
    assert str(err.value) == "impact must be one of [10, 20, 30, 40], not 15"


def test_levels_are_found_by_code_and_by_rank_or_named_missing(tmp_path):
    m = load_matrix(write(tmp_path, FOUR_BY_SIX))
    assert m.level_by_rank(1).name == "acceptable"
    assert m.level_by_rank(3).name == "unacceptable"
    assert m.level_by_code("T").rank == 2
    with pytest.raises(KeyError) as err:
        m.level_by_rank(4)
    assert err.value.args[0] == "matrix wide-4x6 has no level of rank 4"
    with pytest.raises(KeyError) as err:
        m.level_by_code("X")
    assert err.value.args[0] == "matrix wide-4x6 has no level 'X'"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["levels"].append(
                {"code": "A", "name": "again", "colour": "#000", "rank": 4}
            ),
            "matrix wide-4x6: level codes repeat",
        ),
        (lambda d: d["grid"].pop(), "matrix wide-4x6: grid has 3 rows for 4 impact values"),
        (
            lambda d: d["grid"][1].pop(),
            "matrix wide-4x6: grid row 2 has 5 cells for 6 likelihood values",
        ),
        (
            lambda d: d["grid"][3].__setitem__(5, "Z"),
            "matrix wide-4x6: grid uses unknown level 'Z'",
        ),
        (lambda d: d.pop("levels"), "matrix definition is missing or mistypes 'levels'"),
        (lambda d: d.pop("version"), "matrix definition is missing or mistypes 'version'"),
    ],
)
def test_a_broken_matrix_file_says_what_is_wrong(tmp_path, change, message):
    data = yaml.safe_load(yaml.safe_dump(FOUR_BY_SIX))
    change(data)
    with pytest.raises(MatrixError) as err:
        load_matrix(write(tmp_path, data))
    assert str(err.value) == message


def test_a_grid_row_of_the_wrong_type_is_a_matrix_error(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(THREE_BY_THREE))
    data["grid"] = 5
    with pytest.raises(MatrixError) as err:
        load_matrix(write(tmp_path, data))
    assert str(err.value).startswith("matrix definition is missing or mistypes ")


def test_the_default_matrix_is_the_documented_5x5():
    m = default_matrix()
    assert (m.id, m.version) == ("default-5x5", 1)
    assert [lv.code for lv in m.levels] == ["VL", "L", "M", "H", "VH"]
    assert [m.level(5, im).code for im in (1, 2, 3, 4, 5)] == ["M", "M", "H", "VH", "VH"]


def test_security_levels_by_value_are_the_documented_ones():
    assert [(lv.value, lv.name, lv.from_risk_rank) for lv in security_levels()] == [
        (1, "minimal", 1),
        (2, "low", 2),
        (3, "moderate", 3),
        (4, "high", 4),
        (5, "extreme", 5),
    ]
    three = security_level(3)
    assert (three.value, three.name, three.colour) == (3, "moderate", "#fdd835")
    assert three.approval == "country security focal point"
    assert three.mandatory == ("register travel", "security briefing", "check-in schedule")
    assert security_level(1).name == "minimal"
    with pytest.raises(ValueError) as err:
        security_level(6)
    assert str(err.value) == "security level must be one of [1, 2, 3, 4, 5], not 6"


def test_an_area_whose_risks_are_below_every_threshold_has_no_derived_level():
    below = MatrixLevel("N", "none", "#fff", 0)
    level = area_level([("paper cut", below)])
    assert level.derived is None and level.level is None
    assert level.driving_risks == ("paper cut",)
    assert level.describe() == "not assessed"


def test_area_level_takes_the_highest_threshold_reached_and_all_risks_at_the_top():
    m = default_matrix()
    pairs = [("a", m.level(1, 1)), ("b", m.level(2, 3)), ("c", m.level(3, 1))]  # VL, L, L
    level = area_level(pairs)
    assert level.level is not None and (level.level.value, level.level.name) == (2, "low")
    assert level.driving_risks == ("b", "c")
    assert level.describe() == "2 (low)"


def test_an_override_is_described_with_the_derived_level_and_the_reason():
    m = default_matrix()
    level = area_level([("road", m.level(3, 3))], override=4, reason="  armed groups  ")
    assert level.describe() == (
        "4 (high), set by the analyst (derived: 3 (moderate)):   armed groups  "
    )
    unrated = area_level([], override=2, reason="no risks yet")
    assert unrated.describe() == "2 (low), set by the analyst (derived: none): no risks yet"
    with pytest.raises(ValueError) as err:
        area_level([], override=2, reason="   ")
    assert str(err.value) == "an area level set by hand needs a reason"


def test_a_taxonomy_category_keeps_every_field():
    kidnap = default_taxonomy().get("KID")
    assert kidnap.name == "Kidnap"
    assert (
        kidnap.description == "Kidnap for ransom, express and virtual kidnapping, hostage-taking."
    )
    assert kidnap.includes == (
        "kidnap for ransom",
        "express kidnapping",
        "virtual kidnapping",
        "hostage-taking",
        "abduction",
    )
    assert kidnap.us_letters == ("K",)
    assert default_taxonomy().name("TER") == "Terrorism"
    assert "KID" in default_taxonomy() and "XYZ" not in default_taxonomy()
    t = Taxonomy.from_dict({"id": "t", "version": "3", "categories": [{"code": "A", "name": "Ay"}]})
    assert (t.id, t.version) == ("t", 3)
    assert t.categories[0].description == "" and t.categories[0].includes == ()
    assert t.categories[0].us_letters == ()


def test_the_unknown_category_error_lists_the_known_codes():
    with pytest.raises(KeyError) as err:
        default_taxonomy().get("XXX")
    assert err.value.args[0] == (
        "unknown threat category 'XXX'; known: CRM, OCR, KID, TER, ACI, UNR, POL, BRD, DET, "
        "SGV, TRN, MED, NAT, CYB, OTH"
    )


def test_a_library_measure_is_found_by_code_with_every_field():
    phone = find_mitigation("COM-SAT-PHONE")
    assert phone is not None
    assert phone.to_dict() == {
        "code": "COM-SAT-PHONE",
        "name": "Satellite phone for remote travel",
        "domain": "communications",
        "description": "Carry a satellite phone or other independent means of communication "
        "wherever mobile coverage is absent.",
        "threats": ["TRN", "ACI", "KID", "MED", "NAT"],
    }
    assert find_mitigation("NO-SUCH-MEASURE") is None
