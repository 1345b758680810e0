from riskatlas.evidence.areas import area_from_name, areas_from_coordinates, country_iso3, normalise


def test_normalise_drops_accents_case_and_generic_words():
    assert normalise("Región de Junín") == "junin"
    assert normalise("Kharkivs'ka Oblast'") == "kharkivska"


def test_countries_from_names_and_codes():
    assert country_iso3("Peru") == country_iso3("604") == country_iso3("PE") == "PER"
    assert country_iso3("Democratic Republic of Congo") == "COD"
    assert country_iso3("Burma (Myanmar)") == "MMR"
    assert country_iso3("Atlantis") is None


def test_first_level_areas_by_name_alias_and_fuzzy_match():
    assert area_from_name("PER", "Junin").code == "PE-JUN"
    assert area_from_name("PER", "Lima").code == "PE-LIM"
    lima_province = area_from_name("PER", "Lima Province")
    assert (lima_province.code, lima_province.method) == ("PE-LMA", "alias")
    assert area_from_name("PER", "Huanuco").code == "PE-HUC"
    assert area_from_name("PER", "Nowhere Special").code is None


def test_area_from_coordinates():
    [(iso3, match)] = areas_from_coordinates([(-13.16, -74.22)])  # Ayacucho city
    assert (iso3, match.code, match.method) == ("PER", "PE-AYA", "coordinates")


def test_every_alias_names_a_real_area_of_its_country():
    import pycountry

    from riskatlas.evidence._data import load_table

    for row in load_table("area_aliases.csv"):
        assert pycountry.subdivisions.get(code=row["area_code"]) is not None, row
        assert row["area_code"].startswith(row["country"] + "-"), row
    for row in load_table("country_aliases.csv"):
        assert row["iso3"] == "XKX" or pycountry.countries.get(alpha_3=row["iso3"]), row
