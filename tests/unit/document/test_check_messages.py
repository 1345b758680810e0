"""The exact words and places of every problem the reference checks report (checks.py)."""

import copy

import pytest

from riskatlas.document.checks import check_references
from riskatlas.method.matrix import default_matrix

# A document every check passes: each kind of reference made once, correctly.
GOOD = {
    "assessment": {
        "country": "PE",
        "as_of": "2024-02-01",
        "review_by": "2024-08-01",
        "field_visit": {"start": "2024-01-10", "end": "2024-01-20"},
    },
    "sources": [{"id": "press"}],
    "areas": [
        {"code": "PE-LMA", "name": "Lima"},
        {"code": "south", "name": "The south", "parts": ["PE-ARE", "PE-TAC"]},
    ],
    "places": [{"id": "lima", "area": "PE-LMA"}],
    "exposure": {
        "groups": [{"id": "staff"}],
        "sites": [{"place": "lima"}],
        "routes": [{"from": "lima", "to": "lima"}],
        "activities": [{"areas": ["south"]}],
    },
    "actors": [
        {
            "id": "gang",
            "areas": ["PE-LMA"],
            "links": [{"actor": "gang"}],
            "strength": {"source": "press"},
            "evidence": [{"source": "press"}],
        }
    ],
    "incidents": [
        {"id": "i1", "place": "lima", "area": "PE-LMA", "actors": ["gang"], "date": "2024-01-05"}
    ],
    "risks": [
        {
            "id": "r1",
            "area": "south",
            "exposed": ["staff"],
            "measures": ["MOV-SECURE-TAXI"],
            "inherent": {"likelihood": 3, "impact": 3},
        }
    ],
    "mitigations": [{"code": "OWN-MEASURE"}],
    "recommendations": [
        {"id": "rec1", "mitigation": "OWN-MEASURE", "risks": ["r1"], "applies_to": ["staff"]}
    ],
    "watch_items": [{"id": "w1", "areas": ["south"]}],
}


def problems(doc):
    return [(p.field, p.message) for p in check_references(doc)]


def changed(change):
    doc = copy.deepcopy(GOOD)
    change(doc)
    return problems(doc)


def test_a_document_with_every_reference_right_has_no_problems():
    assert problems(GOOD) == []
    assert check_references([]) == []  # not a mapping: the schema's to report


KNOWN_AREAS = "; known: PE-LMA, south"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["sources"].append({"id": "press"}),
            [("sources[1].id", "'press' is used twice in sources")],
        ),
        (
            lambda d: d["exposure"]["groups"].append({"id": "staff"}),
            [("exposure.groups[1].id", "'staff' is used twice in exposure.groups")],
        ),
        (
            lambda d: d["sources"][0].update(date="2024-02-30"),
            [("sources[0].date", "'2024-02-30' is not a real date")],
        ),
        (
            lambda d: d.update(
                threats=[
                    {"category": "KID", "summary": "Express kidnap."},
                    {"category": "KID", "summary": "Kidnap on rural roads."},
                ]
            ),
            [
                (
                    "threats[1].category",
                    "'KID' is described twice in threats: one narrative per category",
                )
            ],
        ),
        (
            lambda d: d["areas"].append({"code": "PE-XXX", "name": "Nowhere"}),
            [("areas[2].code", "'PE-XXX' is not an ISO 3166 code")],
        ),
        (
            # An area whose code is no text is the schema's to report; the next is checked.
            lambda d: d["areas"].extend([{"code": 7}, {"code": "PE-XXX", "name": "Nowhere"}]),
            [("areas[3].code", "'PE-XXX' is not an ISO 3166 code")],
        ),
        (
            # An area of a country neither assessed nor bordering it (Nigeria's Kaduna state in
            # a Peru assessment), as an area or as a custom area's part.
            lambda d: d["areas"].append({"code": "NG-KD", "name": "Kaduna"}),
            [
                (
                    "areas[2].code",
                    "'NG-KD' is an area of Nigeria, neither of Peru (PE), the country assessed, "
                    "nor of a country bordering it",
                )
            ],
        ),
        (
            lambda d: d["areas"][1].update(parts=["PE-ARE", "MX-CMX"]),
            [
                (
                    "areas[1].parts[1]",
                    "'MX-CMX' is an area of Mexico, neither of Peru (PE), the country assessed, "
                    "nor of a country bordering it",
                )
            ],
        ),
        (
            lambda d: d["areas"][0].update(parts=["PE-ARE"]),
            [("areas[0].parts", "only a custom area (lower-case code) has parts")],
        ),
        (
            lambda d: d["areas"].append({"code": "north"}),
            [
                ("areas[2]", "custom area 'north' needs parts (ISO 3166 codes)"),
                ("areas[2]", "custom area 'north' needs a name"),
            ],
        ),
        (
            lambda d: d["areas"][1].update(parts=["PE-ARE", "PE-QQQ", "lowercase", 7]),
            [("areas[1].parts[1]", "'PE-QQQ' is not an ISO 3166 code")],
        ),
        (
            lambda d: d["areas"][0].update(level=3),
            [("areas[0].level", "a security level set by hand needs level_reason")],
        ),
        (
            lambda d: d["areas"][0].update(level=3, level_reason="r", not_assessed_reason="n"),
            [
                (
                    "areas[0].not_assessed_reason",
                    "an area with a security level set by hand is assessed; leave this out",
                )
            ],
        ),
        (
            lambda d: d["assessment"].update(country="XX"),
            [("assessment.country", "'XX' is not an ISO 3166-1 country code")],
        ),
        (
            lambda d: d["assessment"].update(as_of="2009-02-30"),
            [("assessment.as_of", "'2009-02-30' is not a real date")],
        ),
        (
            lambda d: d["assessment"].update(review_by="2024-13-01"),
            [("assessment.review_by", "'2024-13-01' is not a real date")],
        ),
        (
            lambda d: d["assessment"]["field_visit"].update(start="2024-00-10", end="2024-01-32"),
            [
                ("assessment.field_visit.start", "'2024-00-10' is not a real date"),
                ("assessment.field_visit.end", "'2024-01-32' is not a real date"),
            ],
        ),
        (
            lambda d: d["assessment"]["field_visit"].update(end="2024-01-09"),
            [("assessment.field_visit.end", "the visit ends before it starts")],
        ),
        (
            lambda d: d["assessment"].update(review_by="2024-01-31"),
            [("assessment.review_by", "the review-by date is before the as-of date")],
        ),
        (
            lambda d: d["places"][0].update(area="PE-CUS"),
            [("places[0].area", f"no area 'PE-CUS' in areas{KNOWN_AREAS}")],
        ),
        (
            lambda d: d["actors"][0].update(
                areas=["PE-LMA", "x"], links=[{"actor": "y"}], strength={"source": "z"}
            ),
            [
                ("actors[0].areas[1]", f"no area 'x' in areas{KNOWN_AREAS}"),
                ("actors[0].links[0].actor", "no actor 'y' in actors; known: gang"),
                ("actors[0].strength.source", "no source 'z' in sources; known: press"),
            ],
        ),
        (
            lambda d: d["incidents"][0].update(
                place="cusco", area="PE-CUS", actors=["gang", "other"], date="2024-02-30"
            ),
            [
                ("incidents[0].place", "no place 'cusco' in places; known: lima"),
                ("incidents[0].area", f"no area 'PE-CUS' in areas{KNOWN_AREAS}"),
                ("incidents[0].actors[1]", "no actor 'other' in actors; known: gang"),
                ("incidents[0].date", "'2024-02-30' is not a real date"),
            ],
        ),
        (
            lambda d: d["risks"][0].update(area="west", exposed=["staff", "all"], measures=["M"]),
            [
                ("risks[0].area", f"no area 'west' in areas{KNOWN_AREAS}"),
                (
                    "risks[0].exposed[1]",
                    "no exposure group 'all' in exposure.groups; known: staff",
                ),
                (
                    "risks[0].measures[0]",
                    "no mitigation 'M' in mitigations or the mitigation library",
                ),
            ],
        ),
        (
            lambda d: d["recommendations"][0].update(
                mitigation="NONE", risks=["r2"], applies_to=["them"]
            ),
            [
                (
                    "recommendations[0].mitigation",
                    "no mitigation 'NONE' in mitigations or the mitigation library",
                ),
                ("recommendations[0].risks[0]", "no risk 'r2' in risks; known: r1"),
                (
                    "recommendations[0].applies_to[0]",
                    "no exposure group 'them' in exposure.groups; known: staff",
                ),
            ],
        ),
        (
            lambda d: d["watch_items"][0].update(areas=["south", "east"]),
            [("watch_items[0].areas[1]", f"no area 'east' in areas{KNOWN_AREAS}")],
        ),
        (
            lambda d: d["exposure"].update(
                sites=[{"place": "cusco"}],
                routes=[{"from": "lima", "to": "puno"}],
                activities=[{"areas": ["east"]}],
            ),
            [
                ("exposure.sites[0].place", "no place 'cusco' in places; known: lima"),
                ("exposure.routes[0].to", "no place 'puno' in places; known: lima"),
                ("exposure.activities[0].areas[0]", f"no area 'east' in areas{KNOWN_AREAS}"),
            ],
        ),
    ],
)
def test_each_problem_is_reported_where_it_is_in_these_words(change, expected):
    assert changed(change) == expected


@pytest.mark.parametrize(
    "section",
    ["context", "actors", "incidents", "threats", "risks", "recommendations", "watch_items"],
)
def test_evidence_in_every_section_must_cite_a_listed_source(section):
    def cite_unknown(d):
        d.setdefault(section, [{}])
        d[section][0]["evidence"] = [{"source": "press"}, "not a mapping", {"source": "blog"}]

    assert changed(cite_unknown) == [
        (f"{section}[0].evidence[2].source", "no source 'blog' in sources; known: press")
    ]


def test_an_area_across_the_border_is_one_of_a_bordering_country():
    # Lake Titicaca's two sides: Puno (Peru) and La Paz (Bolivia, which borders Peru); and a
    # Colombian department (Colombia borders Peru too).
    def across(doc):
        doc["areas"][1].update(parts=["PE-PUN", "BO-L"])
        doc["areas"].append({"code": "CO-PUT", "name": "Putumayo"})

    assert changed(across) == []


def test_the_known_ids_are_listed_only_when_there_are_one_to_twelve():
    twelve = {"sources": [{"id": f"s{n:02}"} for n in range(12)]}
    thirteen = {"sources": [{"id": f"s{n:02}"} for n in range(13)]}
    cite = {"context": [{"evidence": [{"source": "x"}]}]}
    assert problems({**twelve, **cite}) == [
        (
            "context[0].evidence[0].source",
            "no source 'x' in sources; known: " + ", ".join(f"s{n:02}" for n in range(12)),
        )
    ]
    assert problems({**thirteen, **cite}) == [
        ("context[0].evidence[0].source", "no source 'x' in sources")
    ]
    assert problems(cite) == [("context[0].evidence[0].source", "no source 'x' in sources")]


def test_a_reference_that_is_not_text_is_left_to_the_schema():
    doc = copy.deepcopy(GOOD)
    doc["places"][0]["area"] = 5
    doc["sources"].append({"id": 7})
    doc["areas"].append({"code": None})
    doc["assessment"]["country"] = 36
    doc["assessment"]["as_of"] = "2024-2-1"  # not 10 characters: the schema's pattern
    doc["risks"].append("not a mapping")
    assert problems(doc) == []


THREE_BY_THREE = {
    "id": "small",
    "version": 1,
    "likelihood_values": [1, 2, 3],
    "impact_values": [2, 3, 4],
    "levels": [{"code": "A", "name": "a", "colour": "#000", "rank": 1}],
    "grid": [["A", "A", "A"], ["A", "A", "A"], ["A", "A", "A"]],
}


def test_ratings_off_a_smaller_matrix_are_named_with_its_scale():
    doc = copy.deepcopy(GOOD)
    doc["matrix"] = THREE_BY_THREE
    doc["risks"][0]["inherent"] = {"likelihood": 4, "impact": 1}
    doc["risks"][0]["current"] = {"likelihood": 1, "impact": 5}
    doc["risks"][0]["residual"] = {"likelihood": 3, "impact": 2}
    assert problems(doc) == [
        ("risks[0].inherent.likelihood", "4 is not on the matrix's likelihood scale [1, 2, 3]"),
        ("risks[0].inherent.impact", "1 is not on the matrix's impact scale [2, 3, 4]"),
        ("risks[0].current.impact", "5 is not on the matrix's impact scale [2, 3, 4]"),
    ]


@pytest.mark.parametrize("value", [0, 6, True, "4", 4.0, None])
def test_values_off_the_1_to_5_scale_are_the_schemas_to_report(value):
    doc = copy.deepcopy(GOOD)
    doc["matrix"] = THREE_BY_THREE
    doc["risks"][0]["inherent"] = {"likelihood": value, "impact": value}
    assert problems(doc) == []


def test_a_4x6_matrix_accepts_its_own_values():
    matrix = {
        "id": "wide",
        "version": 1,
        "likelihood_values": [1, 2, 3, 4, 5, 6],
        "impact_values": [1, 2, 3, 5],
        "levels": [{"code": "A", "name": "a", "colour": "#000", "rank": 1}],
        "grid": [["A"] * 6] * 4,
    }
    doc = copy.deepcopy(GOOD)
    doc["matrix"] = matrix
    doc["risks"][0]["inherent"] = {"likelihood": 5, "impact": 4}
    assert problems(doc) == [
        ("risks[0].inherent.impact", "4 is not on the matrix's impact scale [1, 2, 3, 5]")
    ]
    doc["risks"][0]["inherent"] = {"likelihood": 5, "impact": 5}
    assert problems(doc) == []


def test_a_broken_matrix_is_one_problem_and_its_ratings_are_not_checked():
    doc = copy.deepcopy(GOOD)
    doc["matrix"] = {**THREE_BY_THREE, "grid": [["A", "A", "A"], ["A", "B", "A"], ["A"] * 3]}
    doc["risks"][0]["inherent"] = {"likelihood": 5, "impact": 5}
    assert problems(doc) == [("matrix", "matrix small: grid uses unknown level 'B'")]
    doc["matrix"] = {**THREE_BY_THREE, "version": "one"}
    assert problems(doc) == [("matrix", "invalid literal for int() with base 10: 'one'")]
    doc["matrix"] = "default"
    assert problems(doc) == []
    doc["matrix"] = default_matrix().to_dict()
    assert problems(doc) == []


def test_parts_of_the_wrong_shape_are_left_to_the_schema_without_a_crash():
    doc = copy.deepcopy(GOOD)
    doc["exposure"] = ["not", "a", "mapping"]
    doc["actors"][0].update(areas="PE-XX", links="gang", strength=["press"])
    doc["actors"].append("not a mapping")
    doc["incidents"][0]["actors"] = "other"
    doc["areas"][1]["parts"] = "PE-QQQ"
    doc["assessment"]["field_visit"] = "last year"
    doc["sources"] += [{"id": 7}, {"id": 7}]
    doc["watch_items"] = {"id": "w1", "areas": ["east"]}
    doc["context"] = [{"evidence": "blog"}]
    # The groups are gone with the exposure: the references to them are the only problems.
    assert problems(doc) == [
        ("risks[0].exposed[0]", "no exposure group 'staff' in exposure.groups"),
        ("recommendations[0].applies_to[0]", "no exposure group 'staff' in exposure.groups"),
    ]
    assert problems({"assessment": "PE", "areas": "PE"}) == []


def test_dates_on_the_same_day_are_in_order():
    doc = copy.deepcopy(GOOD)
    doc["assessment"]["field_visit"] = {"start": "2024-01-10", "end": "2024-01-10"}
    doc["assessment"]["review_by"] = doc["assessment"]["as_of"]
    assert problems(doc) == []


def test_a_matrix_with_an_endless_number_is_one_problem():
    doc = copy.deepcopy(GOOD)
    doc["matrix"] = {**THREE_BY_THREE, "version": float("inf")}
    assert problems(doc) == [("matrix", "cannot convert float infinity to integer")]


def test_repeated_ids_are_found_in_every_section_after_ids_of_the_wrong_type():
    doc = copy.deepcopy(GOOD)
    doc["sources"] = [{"id": 7}, {"id": "press"}, {"id": "press"}]
    doc["areas"].append({"code": "PE-LMA", "name": "Lima again"})
    doc["places"].append({"id": "lima", "area": "PE-LMA"})
    for section in ("actors", "incidents", "risks", "recommendations", "watch_items"):
        doc[section].append(copy.deepcopy(doc[section][0]))
    doc["mitigations"].append({"code": "OWN-MEASURE"})
    found = check_references(doc)
    assert [(p.path, p.message) for p in found] == [
        (("sources", 2, "id"), "'press' is used twice in sources"),
        (("areas", 2, "code"), "'PE-LMA' is used twice in areas"),
        (("places", 1, "id"), "'lima' is used twice in places"),
        (("actors", 1, "id"), "'gang' is used twice in actors"),
        (("incidents", 1, "id"), "'i1' is used twice in incidents"),
        (("risks", 1, "id"), "'r1' is used twice in risks"),
        (("recommendations", 1, "id"), "'rec1' is used twice in recommendations"),
        (("watch_items", 1, "id"), "'w1' is used twice in watch_items"),
        (("mitigations", 1, "code"), "'OWN-MEASURE' is used twice in mitigations"),
    ]
