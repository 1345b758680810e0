"""The parts of the engine on small texts written here: sentences, places, actors, dates,
statements. No shared data needed."""

from __future__ import annotations

from riskatlas.extraction import extract
from riskatlas.extraction.categories import score_categories
from riskatlas.extraction.dates import find_dates
from riskatlas.extraction.sentences import split_sentences


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = (
        "Mr. Smith left the U.S. on 2 May.\n* Avoid crowds. Stay home!\n\n## Crime\n"
        "Theft is common."
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Mr. Smith left the U.S. on 2 May.",
        "Avoid crowds.",
        "Stay home!",
        "Crime",
        "Theft is common.",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_dates_carry_their_precision() -> None:
    text = "On 9th June 2003, in June 2004, on March 3, 2005, in 2002 and in the 1990s."
    found = [(d.value, d.precision) for d in find_dates(text)]
    assert found == [
        ("2003-06-09", "day"),
        ("2004-06", "month"),
        ("2005-03-03", "day"),
        ("2002", "year"),
        ("1990s", "decade"),
    ]


def test_categories_per_sentence() -> None:
    def codes(text: str) -> list[str]:
        return [c.code for c in score_categories(text)]

    assert codes("Express kidnappings occur at ATMs.")[0] == "KID"
    assert codes("Demonstrations and roadblocks can turn violent.")[0] == "UNR"
    assert codes("Drivers ignore road rules and buses are poorly maintained.") == ["TRN"]
    assert codes("Staff attend a basic security training.") == []  # not a train


def test_places_not_from_people_and_fuzzy_towns() -> None:
    text = (
        "President Alan Garcia visited Arequipa in Peru. Governor Garcia met Keiko. "
        "Staff drove from Cuzco to Ayacucho Region and on to Huancayoo."
    )
    draft = extract(text)
    places = {p["text"]: p["iso_3166"] for p in draft["places"]}
    assert places == {
        "Arequipa": "PE-ARE",
        "Peru": "PE",
        "Cuzco": "PE-CUS",
        "Ayacucho Region": "PE-AYA",
        "Huancayoo": "PE-JUN",
    }
    fuzzy = next(p for p in draft["places"] if p["text"] == "Huancayoo")
    assert fuzzy["name"] == "Huancayo" and fuzzy["match"] == "fuzzy"


def test_towns_need_a_named_country_or_a_big_city() -> None:
    # Without a country in the text, only a big city is trusted; a small town named like
    # a word ("Progress", "Mission") is not a place.
    draft = extract("Progress on the Mission was slow, but Bogotá stayed calm.")
    assert [(p["text"], p["iso_3166"][:2]) for p in draft["places"]] == [("Bogotá", "CO")]


def test_actors_learn_acronyms_from_the_text() -> None:
    text = (
        "The Frente Popular del Sur (FPS) guerrilla has some 1,200 fighters. "
        "In 2019 the FPS attacked a convoy, killing four soldiers."
    )
    draft = extract(text)
    actor = draft["actors"][0]
    assert actor["name"] == "Frente Popular del Sur"
    assert actor["aliases"] == ["FPS"]
    assert actor["figures"][0]["value"] == 1200
    assert len(actor["mentions"]) == 3
    incident = draft["incidents"][0]
    assert incident["when"] == {
        "text": "2019",
        "start": text.index("2019"),
        "end": text.index("2019") + 4,
        "date": "2019",
        "precision": "year",
    }
    assert incident["who"] == ["Frente Popular del Sur"]
    assert incident["casualties"] == {"killed": 4}


def test_statements() -> None:
    text = (
        "Reportedly, armed robbery is on the rise. Violent crime has declined since 2015. "
        "Staff should book taxis through the hotel. A coup is very unlikely. "
        "Unconfirmed reports mention a new militia."
    )
    draft = extract(text)
    assert [(t["text"], t["trend"]) for t in draft["trends"]] == [
        ("on the rise", "rising"),
        ("declined", "falling"),
    ]
    assert [(r["kind"], r["cue"]) for r in draft["recommendations"]] == [
        ("recommendation", "should")
    ]
    assert [(x["text"], x["likelihood"]) for x in draft["likelihood"]] == [("very unlikely", 1)]
    assert [(c["text"], c["credibility"]) for c in draft["credibility"]] == [
        ("Reportedly", 3),
        ("Unconfirmed", 6),
    ]


def test_paragraph_without_cues_continues_the_topic() -> None:
    text = "Kidnapping for ransom is common.\n\nStay alert and vary your routes.\n\nFloods hit."
    paragraphs = extract(text)["paragraphs"]
    assert [[c["code"] for c in p["categories"]] for p in paragraphs] == [
        ["KID"],
        ["KID"],
        ["NAT"],
    ]


def test_a_long_paragraph_before_does_not_drown_the_next_ones_own_topic() -> None:
    # Each category's weight is capped before it is carried (paragraphs.CONTEXT_CAP): a long
    # crime paragraph once made "Kidnapping is a risk across Kenya." a crime paragraph.
    crime = (
        "Crime is high. Thieves and robbers target tourists. Pickpockets work the markets and "
        "muggings are common. Armed robbery and burglary occur; scams and fraud too."
    )
    paragraphs = extract(f"{crime}\n\nKidnapping is a risk across the country.")["paragraphs"]
    assert [[c["code"] for c in p["categories"]] for p in paragraphs] == [["CRM"], ["KID"]]


def test_what_readers_file_under_other_is_proposed_as_other() -> None:
    text = (
        "Outdoor activities can be dangerous if unprepared, such as white water rafting and "
        "scuba diving.\n\nIn some hotels, balcony railings are low and there is a risk of falling."
    )
    paragraphs = extract(text)["paragraphs"]
    assert [[c["code"] for c in p["categories"]] for p in paragraphs] == [["OTH"], ["OTH"]]


def test_a_category_a_paragraph_names_outright_is_not_vetoed_by_the_model() -> None:
    # The model, trained on heading-labelled pages, gives health low odds here; the paragraph's
    # own health cues weigh over classifier.VETO_KEEPS, so MED stays.
    text = (
        "Ayahuasca tourism is a growing industry in the jungle regions. Shamans perform "
        "psychedelic rituals of spiritual cleansing."
    )
    assert [c["code"] for c in extract(text)["paragraphs"][0]["categories"]] == ["MED"]


def test_a_category_named_beside_the_main_topic_is_reported_as_also_named() -> None:
    # A reader labels this paragraph crime, sexual violence and kidnapping; a heading files it
    # under crime. The main categories stay what they were; the others it names outright (a
    # full-weight cue in its own words) are "also named".
    text = (
        "Violent crime occurs. Incidents have included: armed robberies, assaults including "
        "sexual assaults, carjackings, kidnappings and extortion."
    )
    paragraph = extract(text)["paragraphs"][0]
    assert [c["code"] for c in paragraph["categories"]] == ["CRM"]
    assert sorted(c["code"] for c in paragraph["also_named"]) == ["KID", "SGV"]
    assert all(0 < c["score"] < 1 for c in paragraph["also_named"])


def test_weak_cues_and_the_paragraph_before_do_not_make_a_category_named() -> None:
    # "government" twice is no more than a weak political cue; the kidnapping paragraph before
    # carries its topic into the next one's main categories, never into also_named.
    text = (
        "Kidnapping for ransom is common.\n\nStay alert and vary your routes.\n\n"
        "The government and local government offices close at noon."
    )
    paragraphs = extract(text)["paragraphs"]
    assert [p["also_named"] for p in paragraphs] == [[], [], []]


def test_link_targets_are_not_read() -> None:
    text = "Read [our advice](/before-you-go/safety/kidnapping) before you go."
    draft = extract(text)
    assert draft["sentences"][0]["categories"] == []
    assert draft["sentences"][0]["text"] == text


def test_advice_words_are_not_towns_or_groups() -> None:
    text = (
        "Hurricanes can hit the Pacific coast of Mexico. Australian travellers should follow "
        "the World Health Organization's advice.\nFire brigades respond slowly. "
        "Violent crime and drug gangs affect Sinaloa State and Mazatlan."
    )
    draft = extract(text)
    assert [(p["text"], p["iso_3166"]) for p in draft["places"]] == [
        ("Mexico", "MX"),
        ("Sinaloa State", "MX-SIN"),
        ("Mazatlan", "MX-SIN"),
    ]
    named = [a["name"] for a in draft["actors"] if not a["generic"]]
    assert named == ["World Health Organization"]


def test_incident_casualties_both_ways_round() -> None:
    text = (
        "In 2015, an attack on Garissa University in Kenya caused the deaths of at least "
        "148 people. On 3 May 2016 a bomb exploded in Nairobi and 12 people were injured."
    )
    incidents = extract(text)["incidents"]
    assert [(i["when"]["date"], i["casualties"]) for i in incidents] == [
        ("2015", {"killed": 148}),
        ("2016-05-03", {"injured": 12}),
    ]
    assert [w["name"] for w in incidents[1]["where"]] == ["Nairobi"]


def test_an_owner_is_not_where_an_incident_happened() -> None:
    text = (
        "Peru faces insurgents. The group was responsible for the US embassy bombing in 2002. "
        "Rebels attacked a patrol in Ayacucho on 3 May 2008."
    )
    incidents = extract(text)["incidents"]
    assert len(incidents) == 2
    embassy, patrol = incidents
    assert embassy["when"]["date"] == "2002"
    assert embassy["where"] == []  # "US embassy": whose embassy, not where
    assert [w["iso_3166"] for w in patrol["where"]] == ["PE-AYA"]


def test_common_words_that_are_not_threats_on_their_own() -> None:
    # "official data" is a source cue, not cyber; someone else in prison is not a detention
    # risk; prison beside a penalty cue is.
    assert score_categories("According to the official data, police are not doing enough.") == []
    assert "DET" not in {c.code for c in score_categories("Fujimori is now in prison.")}
    assert [c.code for c in score_categories("Drug possession carries long prison sentences.")] == [
        "DET"
    ]
    assert "CYB" in {c.code for c in score_categories("Criminals steal data from your phone.")}


def test_trends_about_threats_only() -> None:
    text = (
        "Crime is rising in the capital. The government is increasingly popular. "
        "Old vehicles are increasing the risk of breakdowns. "
        "Strikes may follow if the economic and social situation worsens."
    )
    trends = extract(text)["trends"]
    assert [(t["trend"], t["text"]) for t in trends] == [("rising", "rising")]


def test_a_falling_economy_is_not_a_falling_threat() -> None:
    # The seed report: one sentence was proposed as both a falling and a rising trend of crime.
    text = (
        "The current government is slowly becoming increasingly popular, despite of the "
        "economic situation declining and local crime rising."
    )
    trends = extract(text)["trends"]
    assert [(t["trend"], t["text"]) for t in trends] == [("rising", "rising")]


def test_months_and_manners_of_speaking_are_not_likelihood() -> None:
    def found(text: str) -> list[int]:
        return [int(x["likelihood"]) for x in extract(text)["likelihood"]]

    assert found("The rainy season runs from November to May.") == []
    assert found("Report the theft to the police as soon as possible.") == []
    assert found("Protests may turn violent.") == [3]


def test_a_lead_in_is_not_a_recommendation_but_its_items_are() -> None:
    text = "You should:\n* avoid demonstrations\n* carry a copy of your passport"
    found = [r["text"] for r in extract(text)["recommendations"]]
    assert "You should:" not in found
    assert any("avoid demonstrations" in r for r in found)


def test_official_advice_levels_places_and_government() -> None:
    text = (
        "Warnings and insurance. The Foreign, Commonwealth & Development Office (FCDO) "
        "advises against all but essential travel to the Apurimac, Ene and Mantaro River "
        "valleys. FCDO advises against all travel to Loreto. Elsewhere in Peru, exercise "
        "caution. British nationals should register with the embassy."
    )
    advice = extract(text)["official_advice"]
    assert advice["government"] == "UK"
    found = [
        (a["level"], a["text"], [p["name"] for p in a["places"]]) for a in advice["statements"]
    ]
    assert found[0][0:2] == (3, "advises against all but essential travel")
    assert found[1] == (4, "advises against all travel", ["Loreto"])
    assert len(found) == 2
    assert extract("Crime is common in Lima.")["official_advice"] == {
        "government": None,
        "statements": [],
    }


def test_a_date_is_no_casualty_count_and_abductions_are_counted() -> None:
    # The year before "gunmen killed" was read as 2021 dead, and "killed five" was lost.
    text = (
        "On 3 May 2021 gunmen killed five soldiers near Maiduguri. "
        "On 14 September 2026 gunmen abducted three aid workers near Damboa. "
        "In March 2008, 2 engineers were kidnapped in Lima."
    )
    incidents = extract(text)["incidents"]
    assert [i["casualties"] for i in incidents] == [
        {"killed": 5},
        {"abducted": 3},
        {"abducted": 2},
    ]


def test_advice_on_movements_and_equipment_is_a_recommendation() -> None:
    # Field notes' advice that was not proposed: an obligation on movements, trips or vehicles
    # rather than on people, and an imperative such as "Provide".
    text = (
        "All movements in Lagos after dark must use vetted drivers. "
        "Provide satellite phones for travel in Borno. "
        "Vehicles must carry a first-aid kit. "
        "Maintain a low profile. "
        "Movements of troops increased in 2020."
    )
    found = [r["text"] for r in extract(text)["recommendations"]]
    assert found == [
        "All movements in Lagos after dark must use vetted drivers.",
        "Provide satellite phones for travel in Borno.",
        "Vehicles must carry a first-aid kit.",
        "Maintain a low profile.",
    ]
