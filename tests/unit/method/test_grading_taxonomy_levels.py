import pytest

from riskatlas.method import area_level, default_matrix, default_taxonomy, parse_grade
from riskatlas.method.mitigations import search_mitigations


def test_taxonomy_has_the_product_codes_and_us_letters():
    t = default_taxonomy()
    assert t.codes == (
        "CRM",
        "OCR",
        "KID",
        "TER",
        "ACI",
        "UNR",
        "POL",
        "BRD",
        "DET",
        "SGV",
        "TRN",
        "MED",
        "NAT",
        "CYB",
        "OTH",
    )
    assert t.for_us_letter("C").code == "CRM"
    assert t.for_us_letter("k").code == "KID"
    assert t.for_us_letter("E").code == "OTH"
    assert t.for_us_letter("Z") is None
    with pytest.raises(KeyError, match="unknown threat category 'XXX'"):
        t.get("XXX")


@pytest.mark.parametrize("text", ["B2", "b2", "B-2", "B/2", " B 2 "])
def test_admiralty_grades_parse(text):
    grade = parse_grade(text)
    assert str(grade) == "B2"
    assert grade.describe() == "B2: usually reliable source, probably true"


@pytest.mark.parametrize("text", ["G2", "B7", "2B", "", "BB"])
def test_bad_admiralty_grades_say_why(text):
    with pytest.raises(ValueError, match="reliability letter A–F"):
        parse_grade(text)


def test_area_level_follows_the_highest_residual_risk():
    m = default_matrix()
    pairs = [("theft", m.level(3, 2)), ("road", m.level(4, 4)), ("riot", m.level(2, 3))]
    level = area_level(pairs)
    assert level.level is not None and level.level.name == "high"
    assert level.driving_risks == ("road",)
    assert not level.overridden


def test_area_level_override_needs_a_reason_and_keeps_the_derived_level():
    m = default_matrix()
    pairs = [("road", m.level(3, 3))]
    with pytest.raises(ValueError, match="needs a reason"):
        area_level(pairs, override=5)
    level = area_level(pairs, override=5, reason="armed groups; no-go for staff")
    assert level.level is not None
    assert (level.level.value, level.level.name, level.level.approval) == (
        5,
        "extreme",
        "head of security",
    )
    assert level.overridden and level.reason == "armed groups; no-go for staff"
    assert level.derived is not None and level.derived.name == "moderate"
    assert "armed groups" in level.describe()


def test_an_area_without_risks_is_not_assessed():
    assert area_level([]).describe() == "not assessed"


def test_mitigation_library_search():
    found = search_mitigations("taxi")
    assert [m.code for m in found] == ["MOV-SECURE-TAXI"]
    kidnap = [m.code for m in search_mitigations(threat="KID")]
    assert kidnap == [
        "MOV-SECURE-TAXI",
        "MOV-AIRPORT-PICKUP",
        "MOV-NO-NIGHT-TRAVEL",
        "MOV-JOURNEY-PLAN",
        "COM-SAT-PHONE",
        "COM-CHECK-IN",
        "TRN-BASIC-SECURITY",
        "TRN-SPECIALISED-AWARENESS",
        "PER-CASH-CARDS",
        "PER-LOW-PROFILE",
        "PER-NO-RESIST",
        "SOP-AREA-CLEARANCE",
        "SOP-INCIDENT-REPORTING",
    ]
    assert search_mitigations("after dark") == search_mitigations("AFTER  Dark")
    assert [m.code for m in search_mitigations("after dark")] == ["MOV-NO-NIGHT-TRAVEL"]
    assert search_mitigations("taxi", threat="MED") == []
