"""`riskatlas advice [PATH...]`: the levels official travel advice states, area by area."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

COLUMNS = ("government", "country", "area", "level", "date", "text")


@click.command("advice")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table to read, or JSON (a list of records) for other programs.",
)
@click.option("--country", default=None, help="Only this country (name or ISO code).")
@click.option(
    "--places/--no-places",
    default=False,
    help="Also list named places smaller than a subdivision (area null, with their name).",
)
def advice(paths: tuple[Path, ...], fmt: str, country: str | None, places: bool) -> None:
    """Levels read from official advice pages: one record per government and area.

    PATH is a folder laid out as GOVERNMENT/Country/*.md (as `data import advisories`
    takes); without PATH, the advice already imported into the evidence store. Each record
    has government, country (ISO alpha-2), area (ISO 3166-1 alpha-2 for the whole country,
    ISO 3166-2 for a subdivision), level (1-4), text (the sentence it came from) and date
    (of the advice, where the page or its info.json states it).
    """
    from riskatlas.evidence.advice_records import records_from_folder, records_from_store
    from riskatlas.evidence.areas import country_alpha2, country_iso3

    wanted = None
    if country:
        iso3 = country_iso3(country)
        if iso3 is None:
            raise click.BadParameter(f"country not recognised: {country!r}", param_hint="--country")
        wanted = country_alpha2(iso3)
    problems: list[str] = []
    try:
        if paths:
            records = []
            for path in paths:
                found, refused = records_from_folder(path)
                records += found
                problems += [f"{path}/{key}: {reason}" for key, reason in refused]
        else:
            records = records_from_store(None)
    except (FileNotFoundError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from exc
    records = [
        r for r in records
        if (wanted is None or r["country"] == wanted) and (places or r["area"] is not None)
    ]  # fmt: skip
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(records))
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        raise SystemExit(1)


def _table(records: list[dict[str, Any]]) -> str:
    if not records:
        return "no advice read"
    rows = [
        [
            str(r["government"]),
            str(r["country"]),
            str(r["area"] or r.get("name") or ""),
            str(r["level"]),
            str(r["date"] or "—"),
            _short(str(r["text"] or ""), 70),
        ]
        for r in records
    ]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines)


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
