"""UCDP Georeferenced Event Dataset (GED): the CSV download and the API's JSON pages."""

from __future__ import annotations

from riskatlas.evidence.importing import EventSource
from riskatlas.evidence.sources.acled import header_names, read_csv_text


def _int_text(column: str) -> str:
    """'300380.0' -> '300380' (UCDP's CSV writes integers as floats)."""
    return f"coalesce(try_cast(try_cast({column} AS DOUBLE) AS BIGINT)::VARCHAR, trim({column}))"


UCDP_GED = EventSource(
    name="ucdp-ged",
    read=read_csv_text,
    header=header_names,
    columns={
        "event_key": _int_text("id"),
        "event_date": "try_cast(left(trim(date_start), 10) AS DATE)",
        "time_precision": "try_cast(try_cast(date_prec AS DOUBLE) AS INTEGER)",
        "map_key": _int_text("type_of_violence"),
        "disorder": "'Political violence'",
        "event_type": "conflict_name",
        "sub_type": "CASE "
        + _int_text("type_of_violence")
        + " WHEN '1' THEN 'state-based conflict'"
        " WHEN '2' THEN 'non-state conflict' WHEN '3' THEN 'one-sided violence' END",
        "country_code": "NULL",
        "country_name": "regexp_replace(country, ' \\(.*\\)$', '')",
        "admin1": "nullif(trim(regexp_replace(adm_1, '\\s+(governorate|province|region|state"
        "|department|district|oblast|county|prefecture)$', '', 'i')), '')",
        "location": "where_coordinates",
        "latitude": "try_cast(latitude AS DOUBLE)",
        "longitude": "try_cast(longitude AS DOUBLE)",
        "geo_precision": "try_cast(try_cast(where_prec AS DOUBLE) AS INTEGER)",
        "fatalities": "try_cast(try_cast(best AS DOUBLE) AS INTEGER)",
        "actors": "concat_ws(' - ', nullif(side_a, ''), nullif(side_b, ''))",
        "notes": "source_headline",
    },
    categories="categories_ucdp.csv",
    key_columns=("type_of_violence",),
    describe_key="UCDP type of violence",
)
