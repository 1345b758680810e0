"""Global Terrorism Database (START): the CSV or XLSX download, mapped by attack type."""

from __future__ import annotations

import csv
from pathlib import Path

from riskatlas.evidence.importing import EventSource
from riskatlas.evidence.sources.acled import header_names, read_csv_text


def read_gtd(path: Path, work: Path) -> str:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        path = xlsx_to_csv(path, work)
    return read_csv_text(path)


def gtd_header(path: Path) -> list[str] | None:
    """The CSV download's header line (a workbook's is read after its conversion)."""
    return None if path.suffix.lower() in {".xlsx", ".xlsm"} else header_names(path)


def xlsx_to_csv(path: Path, work: Path) -> Path:
    """The first sheet of an XLSX workbook as a UTF-8 CSV file in ``work``."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    out = work / (path.stem + ".csv")
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])
    book.close()
    return out


def _part(column: str) -> str:
    return f"try_cast(try_cast({column} AS DOUBLE) AS INTEGER)"


# GTD writes an unknown month or day as 0: the date falls back to the 1st, and the time
# precision says how much is known (1 day, 2 month, 3 year, as in ACLED).
GTD = EventSource(
    name="gtd",
    read=read_gtd,
    header=gtd_header,
    columns={
        "event_key": "trim(eventid)",
        "event_date": f"try_cast(make_date({_part('iyear')}, greatest({_part('imonth')}, 1),"
        f" greatest({_part('iday')}, 1)) AS DATE)",
        "time_precision": f"CASE WHEN {_part('imonth')} = 0 THEN 3 WHEN {_part('iday')} = 0"
        " THEN 2 ELSE 1 END",
        "map_key": "trim(attacktype1_txt)",
        "map_key2": _part("attacktype1") + "::VARCHAR",
        "disorder": "'Political violence'",
        "event_type": "attacktype1_txt",
        "sub_type": "targtype1_txt",
        "country_code": "NULL",
        "country_name": "country_txt",
        "admin1": "nullif(trim(provstate), '')",
        "location": "city",
        "latitude": "try_cast(latitude AS DOUBLE)",
        "longitude": "try_cast(longitude AS DOUBLE)",
        "geo_precision": _part("specificity"),
        "fatalities": "try_cast(try_cast(nkill AS DOUBLE) AS INTEGER)",
        "actors": "gname",
        "notes": "summary",
    },
    categories="categories_gtd.csv",
    key_columns=("attacktype1_txt", "attacktype1"),
    describe_key="GTD attack type",
)
