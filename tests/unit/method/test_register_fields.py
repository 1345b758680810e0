"""The rated register field by field, its order worst first and its summary, against values
written out by hand (not against the report, which is built from the same register)."""

from riskatlas.method.matrix import default_matrix
from riskatlas.method.register import Measure, rate_risks, summarise
from riskatlas.method.scoring import score_risk


def risk(rid, title, inherent, residual=None, **fields):
    out = {
        "id": rid,
        "title": title,
        "category": "CRM",
        "area": "PE",
        "rationale": f"why {rid}",
        "inherent": {"likelihood": inherent[0], "impact": inherent[1]},
    }
    if residual:
        out["residual"] = {"likelihood": residual[0], "impact": residual[1]}
    return {**out, **fields}


DOC = {
    "assessment": {"country": "PE"},
    "matrix": default_matrix().to_dict(),
    "areas": [{"code": "PE", "name": "Peru"}, {"code": "PE-LMA", "name": "Lima"}],
    "exposure": {"groups": [{"id": "intl", "name": "International staff"}]},
    "mitigations": [{"code": "OWN", "name": "Own measure"}],
    "risks": [
        risk(
            "crime",
            "Street crime",
            (5, 3),
            (3, 3),
            area="PE-LMA",
            category="KID",
            exposed=["intl", "visitors"],
            circumstance="after dark",
            current={"likelihood": 4, "impact": 3},
            trend="rising",
            confidence="high",
            owner="Country director",
            measures=["OWN", "MOV-SECURE-TAXI", "UNLISTED"],
        ),
        risk("road", "Road accident", (4, 5), (3, 4), area="PE-CUS"),
        # residual (4, 3): H like road's (3, 4) but a score of 12 both: then the inherent.
        risk("flood", "Flooding", (3, 5), (4, 3)),
        # same residual and inherent as flood: the title decides.
        risk("fire", "Fire", (3, 5), (4, 3)),
        # no residual or current: the inherent stands for both.
        risk("theft", "Petty theft", (2, 2)),
        # residual H (3, 4) score 12, inherent VH (4, 5) score 20, like road: title again.
        risk("arson", "Arson", (4, 5), (3, 4)),
        # residual H, score 16 (4, 4): before every H of score 12.
        risk("riot", "Riots", (2, 1), (4, 4)),
    ],
}


def test_every_field_of_a_rated_risk():
    crime = next(r for r in rate_risks(DOC) if r.id == "crime")
    assert (crime.title, crime.category.code, crime.category.name) == (
        "Street crime",
        "KID",
        "Kidnap",
    )
    assert (crime.area, crime.area_name) == ("PE-LMA", "Lima")
    assert crime.exposed == ["International staff", "visitors"]
    assert crime.circumstance == "after dark"
    assert (crime.inherent.likelihood, crime.inherent.impact, crime.inherent.level.code) == (
        5,
        3,
        "H",
    )
    assert crime.current is not None
    assert (crime.current.likelihood, crime.current.impact, crime.current.level.code) == (
        4,
        3,
        "H",
    )
    assert (crime.residual.likelihood, crime.residual.impact, crime.residual.level.code) == (
        3,
        3,
        "M",
    )
    assert (crime.trend, crime.confidence, crime.owner) == ("rising", "high", "Country director")
    assert crime.rationale == "why crime"
    assert crime.measures == [
        Measure("OWN", "Own measure"),
        Measure("MOV-SECURE-TAXI", "MOV-SECURE-TAXI"),  # not in the document's library
        Measure("UNLISTED", "UNLISTED"),
    ]


def test_missing_optional_fields_are_empty_and_an_unlisted_area_keeps_its_code():
    road = next(r for r in rate_risks(DOC) if r.id == "road")
    assert (road.area, road.area_name) == ("PE-CUS", "PE-CUS")
    assert road.exposed == [] and road.measures == []
    assert (road.circumstance, road.trend, road.confidence, road.owner) == ("", "", "", "")
    assert road.current is None
    theft = next(r for r in rate_risks(DOC) if r.id == "theft")
    assert (theft.residual.likelihood, theft.residual.impact) == (2, 2)


def test_the_register_is_numbered_worst_first():
    register = rate_risks(DOC)
    assert [(r.label, r.id) for r in register] == [
        ("R1", "riot"),  # H, residual score 16
        ("R2", "arson"),  # H, score 12, inherent VH 20; "Arson" before "Road accident"
        ("R3", "road"),
        ("R4", "fire"),  # H, score 12, inherent H 15; "Fire" before "Flooding"
        ("R5", "flood"),
        ("R6", "crime"),  # M
        ("R7", "theft"),  # L
    ]
    assert [r.number for r in register] == [1, 2, 3, 4, 5, 6, 7]


def test_the_register_is_rated_on_the_documents_own_matrix():
    small = {
        "id": "two",
        "version": 1,
        "likelihood_values": [1, 2, 3, 4, 5],
        "impact_values": [1, 2, 3, 4, 5],
        "levels": [
            {"code": "OK", "name": "fine", "colour": "#0f0", "rank": 1},
            {"code": "NO", "name": "not fine", "colour": "#f00", "rank": 2},
        ],
        "grid": [["OK"] * 5] * 4 + [["NO"] * 5],
    }
    doc = {**DOC, "matrix": small}
    assert [(r.id, r.residual.level.code) for r in rate_risks(doc)][:2] == [
        ("riot", "OK"),  # every level the same: the residual score decides
        ("arson", "OK"),
    ]
    summary = summarise(doc)
    assert summary.by_residual_level == {"OK": 7, "NO": 0}
    assert summary.risks == 7


def test_the_summary_counts_levels_lowest_first_and_names_the_top_risk():
    summary = summarise(DOC)
    assert summary.by_residual_level == {"VL": 0, "L": 1, "M": 1, "H": 5, "VH": 0}
    assert summary.risks == 7
    assert summary.top_risk is not None and summary.top_risk.id == "riot"
    assert summary.level is not None and (summary.level.value, summary.level.name) == (4, "high")


def test_an_empty_register_has_no_top_risk_and_no_level():
    summary = summarise({**DOC, "risks": []})
    assert summary.top_risk is None and summary.level is None
    assert summary.by_residual_level == {"VL": 0, "L": 0, "M": 0, "H": 0, "VH": 0}
    assert summary.risks == 0


def test_scores_default_residual_to_current_then_inherent():
    m = default_matrix()
    scores = score_risk(m, inherent=(5, 5), current=(4, 4))
    assert (scores.residual.likelihood, scores.residual.impact) == (4, 4)
    assert scores.reduction == 1  # VH (5) to H (4)
    assert scores.residual.score == 16
    assert (
        scores.inherent.describe() == "very high (likelihood 5 (very likely), impact 5 (critical))"
    )
