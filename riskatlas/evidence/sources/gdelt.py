"""GDELT 2.0 events: the 15-minute/daily export files (tab-separated, no header, 61 columns).

Categories come from CAMEO codes (``data/categories_cameo.csv``). Rows whose root code is
01-13 are statements and cooperation, not security events: they are counted as skipped.
GDELT's country codes are FIPS 10-4, so the country is read from the place name's last part
("Lima, Lima, Peru") and checked against the coordinates.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from riskatlas.evidence.importing import EventSource

COLUMNS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]


def read_gdelt(path: Path, work: Path) -> str:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            name = archive.namelist()[0]
            path = work / Path(name).name
            path.write_bytes(archive.read(name))
    quoted = str(path).replace("'", "''")
    names_sql = ", ".join(f"'{c}'" for c in COLUMNS)
    return (
        f"read_csv('{quoted}', all_varchar=true, header=false, delim='\\t', quote='',"
        f" column_names=[{names_sql}], strict_mode=false, null_padding=true)"
    )


_PARTS = "string_split(ActionGeo_FullName, ',')"

GDELT = EventSource(
    name="gdelt",
    read=read_gdelt,
    columns={
        "event_key": "trim(GLOBALEVENTID)",
        "event_date": "try_strptime(SQLDATE, '%Y%m%d')::DATE",
        "time_precision": "1",
        "map_key": "trim(EventCode)",
        "map_key2": "trim(EventBaseCode)",
        "map_key3": "trim(EventRootCode)",
        "disorder": "NULL",
        "event_type": "'CAMEO ' || EventRootCode",
        "sub_type": "'CAMEO ' || EventCode",
        "country_code": "NULL",
        "country_name": f"nullif(trim({_PARTS}[-1]), '')",
        "admin1": f"CASE WHEN ActionGeo_Type IN ('2', '5') THEN trim({_PARTS}[1])"
        f" WHEN ActionGeo_Type IN ('3', '4') AND len({_PARTS}) >= 3 THEN trim({_PARTS}[-2]) END",
        "location": "ActionGeo_FullName",
        "latitude": "try_cast(ActionGeo_Lat AS DOUBLE)",
        "longitude": "try_cast(ActionGeo_Long AS DOUBLE)",
        "geo_precision": "CASE ActionGeo_Type WHEN '1' THEN 3 WHEN '2' THEN 2 WHEN '5' THEN 2"
        " ELSE 1 END",
        "fatalities": "NULL",
        "actors": "concat_ws('; ', nullif(Actor1Name, ''), nullif(Actor2Name, ''))",
        "notes": "SOURCEURL",
    },
    categories="categories_cameo.csv",
    key_columns=("cameo",),
    skip="try_cast(EventRootCode AS INTEGER) BETWEEN 1 AND 13",
    skip_reason="CAMEO root codes 01-13 (statements, cooperation) are not security events",
    describe_key="CAMEO event code",
)
