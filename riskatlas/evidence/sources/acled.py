"""ACLED: the standard CSV export (31 columns) and the API's JSON, mapped by sub-event type."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from riskatlas.evidence.csv_rows import DELIMITERS as _DELIMITERS
from riskatlas.evidence.importing import EventSource

#: The columns of ACLED's standard CSV export, in its order (test extracts and benchmark
#: files are written with these).
EXPORT_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

# Misspellings found in real ACLED exports, and what they mean.
DISORDER_TYPOS = {"Demostrations": "Demonstrations"}


#: DuckDB's CSV reader holds buffers of this size (its default, 32 MiB, cost a worker
#: about 170 MB just to sniff a 50 MB file; 4 MiB reads no slower here). A line may be up
#: to a quarter of it, far beyond any event's.
CSV_BUFFER = 4 << 20


def read_csv_text(path: Path, work: Path | None = None) -> str:
    quoted = str(path).replace("'", "''")
    return (
        f"read_csv('{quoted}', all_varchar=true, header=true, quote='\"', escape='\"',"
        f" strict_mode=false, buffer_size={CSV_BUFFER}, max_line_size={CSV_BUFFER // 4})"
    )


#: The longest header line read; a first line longer than this names no columns of ours.
HEADER_LIMIT = 1 << 20


def header_names(path: Path) -> list[str]:
    """The column names in the first line of a CSV file, as read with each delimiter DuckDB
    might find (names trimmed, a byte-order mark dropped). Only the first MiB is read:
    a longer first line is refused here, before DuckDB's sniffer reads the file."""
    with path.open("rb") as handle:
        start = handle.read(HEADER_LIMIT + 1)
    text = start.decode("utf-8", errors="replace").removeprefix("\ufeff")
    first, *rest = re.split(r"\r\n|\r|\n", text, maxsplit=1)
    if not rest and len(start) > HEADER_LIMIT:
        raise ValueError(f"{path}: line 1: longer than {HEADER_LIMIT:,} bytes; not a CSV header")
    names: dict[str, None] = {}
    for delimiter in _DELIMITERS:
        try:
            names.update(
                dict.fromkeys(n.strip() for n in next(csv.reader([first], delimiter=delimiter), []))
            )
        except csv.Error:  # a field over the csv module's limit: no column name of ours
            continue
    return list(names)


def _disorder() -> str:
    fixes = " ".join(f"WHEN '{bad}' THEN '{good}'" for bad, good in DISORDER_TYPOS.items())
    return f"CASE trim(disorder_type) {fixes} ELSE trim(disorder_type) END"


ACLED = EventSource(
    name="acled",
    read=read_csv_text,
    header=header_names,
    columns={
        "event_key": "trim(event_id_cnty)",
        "event_date": "coalesce(try_cast(event_date AS DATE),"
        " try_strptime(event_date, '%d %B %Y')::DATE)",
        "time_precision": "try_cast(time_precision AS INTEGER)",
        "map_key": "trim(sub_event_type)",
        "disorder": _disorder(),
        "event_type": "event_type",
        "sub_type": "sub_event_type",
        "country_code": "iso",
        "country_name": "country",
        "admin1": "nullif(trim(admin1), '')",
        "location": "location",
        "latitude": "try_cast(latitude AS DOUBLE)",
        "longitude": "try_cast(longitude AS DOUBLE)",
        "geo_precision": "try_cast(geo_precision AS INTEGER)",
        "fatalities": "try_cast(fatalities AS INTEGER)",
        # Associated actors name the victims' kind ("Aid Workers (Mali)", "Farmers").
        "actors": "concat_ws('; ', nullif(actor1, ''), nullif(assoc_actor_1, ''),"
        " nullif(actor2, ''), nullif(assoc_actor_2, ''))",
        "notes": "notes",
    },
    categories="categories_acled.csv",
    key_columns=("sub_event_type",),
    describe_key="ACLED sub-event type",
)
