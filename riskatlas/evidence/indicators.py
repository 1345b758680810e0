"""Country indicators: Global Peace Index, homicide, WHO road deaths, World Bank, INFORM.

Each reader turns its upstream file into ``Reading`` rows (indicator, area, year, value) or
says why a row is left out: aggregates (regions, income groups) and empty cells are counted as
skipped with the reason; a row naming no recognisable country is quarantined. Values are
upserted on (source, indicator, area, year), so importing again adds nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pycountry

from riskatlas.evidence.areas import country_iso3
from riskatlas.evidence.importing import ImportResult, log_import
from riskatlas.evidence.store import transaction

NOT_A_NUMBER = {"", "x", "#value!", "#n/a", "..", "n/a", "na", "-", "null"}


@dataclass(frozen=True)
class Reading:
    indicator: str
    area_code: str
    year: int
    value: float


@dataclass(frozen=True)
class Left:
    """A row left out: ``quarantine`` when it looks like data we could not place."""

    reason: str
    record: int
    raw: str
    quarantine: bool = False


Row = Reading | Left


def read_text(path: Path) -> str:
    """File text as UTF-8 (with or without BOM), else Latin-1 (INFORM's encoding)."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def number(text: str | None) -> float | None:
    if text is None or text.strip().lower() in NOT_A_NUMBER:
        return None
    cleaned = text.strip().split(" [")[0].replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def is_country(code: str) -> bool:
    return code == "XKX" or pycountry.countries.get(alpha_3=code) is not None


def _country(code: str, record: int, raw: object) -> str | Left:
    code = (code or "").strip().upper()
    if is_country(code):
        return code
    return Left("aggregate or non-country code (region, income group…)", record, str(raw))


def read_gpi(path: Path) -> Iterator[Row]:
    """Global Peace Index: the wide CSV (Country, iso3c, one column per year; lower = more
    peaceful) as ``gpi_score``, or the XLSX workbook, whose sheets (overall score and the
    domains Safety and Security, Ongoing Conflict, Militarisation) become ``gpi_score`` and
    ``gpi:<sheet name>``."""
    if Path(path).suffix.lower() == ".xlsx":
        yield from _read_gpi_workbook(Path(path))
        return
    yield from _read_gpi_rows(csv.DictReader(io.StringIO(read_text(path))), "gpi_score")


def _read_gpi_workbook(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            rows = [
                ["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)
            ]
            header_at = next((i for i, r in enumerate(rows) if "iso3c" in r), None)
            if header_at is None:
                continue  # a notes sheet
            header = [h.split(".")[0] for h in rows[header_at]]
            name = (
                "gpi_score" if sheet.title.lower().startswith("overall") else f"gpi:{sheet.title}"
            )
            records = (dict(zip(header, r, strict=False)) for r in rows[header_at + 1 :] if any(r))
            yield from _read_gpi_rows(records, name)
    finally:
        book.close()


def _read_gpi_rows(rows: Iterable[dict[str, str]], name: str) -> Iterator[Row]:
    for record, row in enumerate(rows, start=2):
        code = (row.get("iso3c") or "").strip()
        if not is_country(code):
            code = country_iso3(row.get("Country")) or code
        iso3 = _country(code, record, row)
        if isinstance(iso3, Left):
            yield Left(f"country not recognised: {row.get('Country')}", record, str(row), True)
            continue
        for column, text in row.items():
            if column and re.fullmatch(r"\d{4}", column.strip()):
                value = number(text)
                if value is None:
                    yield Left(f"no value for {column}", record, str(row))
                else:
                    yield Reading(name, iso3, int(column), value)


def read_homicide(path: Path) -> Iterator[Row]:
    """Long CSV iso3,country,year,rate_per_100k (UNODC/WHO via the World Bank)."""
    rows = csv.DictReader(io.StringIO(read_text(path)))
    for record, row in enumerate(rows, start=2):
        iso3 = _country(row.get("iso3", ""), record, row)
        if isinstance(iso3, Left):
            yield iso3
            continue
        value = number(row.get("rate_per_100k"))
        if value is None:
            yield Left("no value", record, str(row))
            continue
        yield Reading("homicide_per_100k", iso3, int(float(row["year"])), value)


def read_who_gho(path: Path) -> Iterator[Row]:
    """WHO GHO OData rows (CSV export or the API's JSON ``value`` list): both sexes only."""
    text = read_text(path)
    if text.lstrip().startswith("{"):
        records: Iterable[dict[str, str]] = (
            {k: ("" if v is None else str(v)) for k, v in item.items()}
            for item in json.loads(text)["value"]
        )
    else:
        records = csv.DictReader(io.StringIO(text))
    for record, row in enumerate(records, start=2):
        indicator = row.get("IndicatorCode") or "who"
        if (row.get("SpatialDimType") or row.get("SpatialDimension")) != "COUNTRY":
            yield Left("aggregate (WHO region or income group)", record, str(row))
            continue
        sex = row.get("Dim1") or row.get("DisaggregatingDimension1ValueCode") or ""
        if sex and sex.replace("SEX_", "") != "BTSX":
            yield Left("by-sex row (both sexes kept)", record, str(row))
            continue
        code = row.get("SpatialDim") or row.get("SpatialDimensionValueCode") or ""
        iso3 = _country(code, record, row)
        value = number(row.get("NumericValue"))
        if isinstance(iso3, Left):
            yield iso3
        elif value is None:
            yield Left("no value", record, str(row))
        else:
            year = int(float(row.get("TimeDim") or row.get("TimeDimensionValue") or 0))
            name = "road_deaths_per_100k" if indicator == "RS_198" else indicator
            yield Reading(name, iso3, year, value)


def read_world_bank(path: Path) -> Iterator[Row]:
    """World Bank indicator data: the API's JSON ([meta, rows]) or the wide CSV download.

    The CSV download starts with four lines of notes before the header
    ``Country Name,Country Code,Indicator Name,Indicator Code,1960,…``.
    """
    text = read_text(path)
    if text.lstrip().startswith("["):
        payload = json.loads(text)
        for record, item in enumerate(payload[1] or [], start=1):
            iso3 = _country(item.get("countryiso3code") or "", record, item)
            if isinstance(iso3, Left):
                yield iso3
            elif item.get("value") is None:
                yield Left("no value", record, json.dumps(item))
            else:
                yield Reading(
                    item["indicator"]["id"], iso3, int(item["date"]), float(item["value"])
                )
        return
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "Country Code" in line), 0)
    rows = csv.DictReader(io.StringIO("\n".join(lines[start:])))
    for record, row in enumerate(rows, start=start + 2):
        iso3 = _country(row.get("Country Code", ""), record, row)
        if isinstance(iso3, Left):
            yield iso3
            continue
        for column, text_value in row.items():
            if column and re.fullmatch(r"\d{4}", column.strip()):
                value = number(text_value)
                if value is not None:
                    yield Reading(row["Indicator Code"], iso3, int(column), value)


def read_inform(path: Path, year: int | None = None) -> Iterator[Row]:
    """INFORM Risk results (wide CSV, Latin-1): every numeric column as ``inform:<column>``.

    The year is taken from the file name (``inform_gri_2020_…``, ``INFORM-2016``) unless given.
    """
    if year is None:
        found = re.search(r"(19|20)\d{2}", Path(path).name)
        if not found:
            raise ValueError(f"{path}: cannot tell the INFORM year from the file name")
        year = int(found.group(0))
    rows = csv.DictReader(io.StringIO(read_text(path)))
    for record, row in enumerate(rows, start=2):
        if not any((v or "").strip() for v in row.values()):
            yield Left("blank line", record, "")
            continue
        iso3 = _country(row.get("ISO3", ""), record, row)
        if isinstance(iso3, Left):
            yield Left(f"country not recognised: {row.get('ISO3')}", record, str(row), True)
            continue
        for column, text_value in row.items():
            if not column or column in {"COUNTRY", "ISO3"} or column.startswith("Rank"):
                continue
            value = number(text_value)
            if value is None:
                continue  # 'x' (not applicable), '#VALUE!', class names: not indicator values
            yield Reading(f"inform:{column.strip()}", iso3, year, value)


def read_population(path: Path) -> Iterator[Row]:
    """Population by area (long CSV ``area_code,year,population``): countries or ISO 3166-2."""
    rows = csv.DictReader(io.StringIO(read_text(path)))
    for record, row in enumerate(rows, start=2):
        code = (row.get("area_code") or "").strip()
        value = number(row.get("population"))
        known = is_country(code) or pycountry.subdivisions.get(code=code) is not None
        if not known:
            yield Left(f"area_code: not an ISO 3166 code: {code!r}", record, str(row), True)
        elif value is None:
            yield Left("population: no value", record, str(row), True)
        else:
            yield Reading("population", code, int(row["year"]), value)


def import_indicators(
    con: duckdb.DuckDBPyConnection, source: str, path: Path, rows: Iterable[Row]
) -> ImportResult:
    """Write readings (upsert) and quarantined rows in one transaction, and log the import."""
    result = ImportResult(source=source, path=str(path))
    readings: dict[tuple[str, str, int], float] = {}
    quarantined: list[tuple[str, str, int, str, str, str]] = []
    skipped: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    for row in rows:
        result.rows_seen += 1
        if isinstance(row, Reading):
            readings[(row.indicator, row.area_code, row.year)] = row.value
        elif row.quarantine:
            rejected[row.reason] += 1
            quarantined.append(
                (
                    source,
                    f"{Path(path).name}#{row.record}",
                    row.record,
                    row.reason,
                    row.raw,
                    str(path),
                )
            )
        else:
            skipped[row.reason] += 1
    with transaction(con):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE new_readings (indicator VARCHAR, area_code VARCHAR,"
            " year INTEGER, value DOUBLE)"
        )
        con.executemany(
            "INSERT INTO new_readings VALUES (?, ?, ?, ?)",
            [(k[0], k[1], k[2], v) for k, v in readings.items()],
        )
        added = con.execute(
            """SELECT count(*) FROM new_readings n WHERE NOT EXISTS (SELECT 1 FROM indicators i
               WHERE i.source = ? AND i.indicator = n.indicator AND i.area_code = n.area_code
               AND i.year = n.year)""",
            [source],
        ).fetchone()
        con.execute(
            "INSERT OR REPLACE INTO indicators SELECT ?, indicator, area_code, year, value"
            " FROM new_readings",
            [source],
        )
        con.execute("DROP TABLE new_readings")
        if quarantined:
            con.executemany(
                "INSERT OR IGNORE INTO quarantine VALUES (?, ?, ?, ?, ?, ?)", quarantined
            )
        result.rows_added = int(added[0]) if added else 0
        result.rows_rejected = sum(rejected.values())
        result.rows_skipped = sum(skipped.values())
        result.skipped_reasons = dict(skipped)
        result.rejected_reasons = dict(rejected)
        result.rows_present = len(readings) - result.rows_added
        log_import(con, result)
    return result
