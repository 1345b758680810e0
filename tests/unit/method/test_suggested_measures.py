"""The measures the risk form offers for a threat: the library's for that threat, those that
share words with the risk first."""

from riskatlas.method.mitigations import mitigation_library, suggest_mitigations


def test_only_the_threats_measures_are_offered_all_of_them():
    offered = suggest_mitigations("TRN", "Road accidents")
    assert {m.code for m in offered} == {m.code for m in mitigation_library() if "TRN" in m.threats}
    assert suggest_mitigations("", "Road accidents") == []


def test_measures_sharing_the_risks_words_come_first():
    offered = [m.code for m in suggest_mitigations("TRN", "Road accidents on mountain roads")]
    # "road" in their names; a taxi company is not what a road-accident risk needs first.
    assert set(offered[:2]) == {"MOV-NO-NIGHT-TRAVEL", "MOV-VETTED-DRIVERS"}
    assert offered.index("MOV-SECURE-TAXI") > 2
    crime = [m.code for m in suggest_mitigations("CRM", "Armed robbery: do not resist")]
    assert crime[0] == "PER-NO-RESIST"  # "Do not resist robbery"


def test_without_words_the_library_order_is_kept():
    library = [m.code for m in mitigation_library() if "KID" in m.threats]
    assert [m.code for m in suggest_mitigations("KID")] == library
