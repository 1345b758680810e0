"""``riskatlas data import|status`` and ``riskatlas baseline``: open data as evidence.

Thin wrappers over ``riskatlas.evidence`` (DuckDB loads only when one of them runs); progress
bars and tables are drawn here with rich.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.progress import Progress

    from riskatlas.evidence.coverage import Scope

# The names of ``riskatlas.evidence.source_names()``, spelt out so that the commands' help does
# not load DuckDB (tests/unit/test_cli_startup.py checks that they agree).
EVENT_SOURCES = ("acled", "ucdp-ged", "gtd", "gdelt")
SOURCES = (
    *EVENT_SOURCES,
    "gpi",
    "homicide",
    "who-road",
    "worldbank",
    "inform",
    "population",
    "advisories-us",
    "advisories",
    # Feeds of official advice and hazards (riskatlas.evidence.feeds): each import records
    # what changed (riskatlas changes, the "What changed" page).
    "canada-advice",
    "australia-advice",
    "germany-advice",
    "us-advice",
    "gdacs",
    "usgs",
    "who-don",
)
IMPORT_STEPS = 6


@click.group("data")
def data() -> None:
    """Open data as evidence: import files or live feeds, see what is loaded.

    The evidence store is a DuckDB file: $RISKATLAS_EVENTS_DB, else events.duckdb in
    $RISKATLAS_HOME (default ~/.local/share/riskatlas).
    """


@data.command("import")
@click.argument("source", type=click.Choice(SOURCES))
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--fetch", is_flag=True, help="Download from the source's live API first.")
@click.option("--db", type=click.Path(path_type=Path), help="Evidence store (DuckDB file).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--country", help="--fetch: ISO country code or name to fetch (ACLED, UCDP, canada-advice)."
)
@click.option("--since", help="--fetch: first date (YYYY-MM-DD) or year to fetch.")
@click.option("--indicator", help="--fetch: World Bank or WHO GHO indicator code.")
@click.option(
    "--full/--sample",
    "full",
    default=None,
    help="Event sources: the file holds every event of its countries and dates (--full), or "
    "a selection (--sample). Unstated, a file named *sample* counts as a sample; no likelihood "
    "is suggested from a sample or an unstated file.",
)
def import_command(
    source: str,
    path: Path | None,
    fetch: bool,
    db: Path | None,
    fmt: str,
    country: str | None,
    since: str | None,
    indicator: str | None,
    full: bool | None,
) -> None:
    """Import PATH (a file, or a folder for `advisories`) as SOURCE.

    Official advice: advisories-us (State Department CSV/API), advisories (advice pages),
    canada-advice (Global Affairs Canada JSON), australia-advice (Smartraveller RSS),
    germany-advice (Auswärtiges Amt open-data JSON), us-advice (State Department RSS).
    Hazards: gdacs (GDACS events GeoJSON), usgs (USGS earthquakes GeoJSON), who-don (WHO
    Disease Outbreak News JSON). Each feed import records what changed (level up or down,
    new orange/red alert, new outbreak).

    With --fetch, download from the live API into PATH (default: a file in the store's
    folder) and import that. Re-importing adds nothing (but records --full or --sample anew);
    an interrupted import leaves nothing.
    """
    from riskatlas.evidence.operations import download_path, import_into_store
    from riskatlas.evidence.store import StoreBusy

    if fetch:
        from riskatlas.evidence.fetch import FetchError, fetch_source

        target = path or download_path(source, db)
        try:
            path = fetch_source(source, target, country=country, since=since, indicator=indicator)
        except FetchError as exc:
            raise click.ClickException(str(exc)) from exc
    if path is None:
        raise click.UsageError("give PATH, or --fetch")
    scope = _scope(source, path, full, fetch)
    with _import_progress(transient=fmt == "json") as progress:
        task = progress.add_task(f"{source}: starting", total=IMPORT_STEPS)
        begun = [0]  # steps begun; the bar moves within a step as DuckDB reports its pass

        def step(name: str) -> None:
            begun[0] += 1
            progress.update(task, description=f"{source}: {name}", completed=begun[0] - 1)

        def advance(share: float) -> None:
            progress.update(task, completed=max(begun[0] - 1, 0) + share)

        try:
            count = _assessed_countries if source in EVENT_SOURCES else ()
            result = import_into_store(source, path, db, step, scope, advance, count=count)
        except StoreBusy as exc:
            raise click.ClickException(str(exc)) from exc
        except (FileNotFoundError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:  # DuckDB parse errors name the file, line and column
            raise click.ClickException(f"{path}: {exc}") from exc
        progress.update(task, completed=IMPORT_STEPS)
    _queue_evidence_refresh(path, db, getattr(result, "changes_recorded", 0))
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    _say_what_it_did(source, path, result)


def _say_what_it_did(source: str, path: Path, result: Any) -> None:
    """The import's outcome in words: rows, reasons, countries counted, changes recorded."""
    click.echo(
        f"{source}: {result.rows_seen} rows read from {path}: {result.rows_added} added, "
        f"{result.rows_present} already present, {result.rows_rejected} quarantined, "
        f"{result.rows_skipped} skipped"
    )
    for reason, n in {**result.rejected_reasons, **result.skipped_reasons}.items():
        click.echo(f"  {n} × {reason}")
    counted = getattr(result, "counted", [])
    if counted:
        click.echo(f"  counted by day for the assessments' pages: {', '.join(counted)}")
    if getattr(result, "count_failed", ""):
        click.echo(
            f"note: the import stands, but the assessed countries were not counted by day"
            f" ({result.count_failed}); their pages count from the events until the worker"
            " counts them",
            err=True,
        )
    if hasattr(result, "changes_recorded"):
        n = result.changes_recorded
        said = f"  {n} change{'' if n == 1 else 's'} recorded (the What changed page)"
        click.echo(said + (":" if n else ""))
        for title in getattr(result, "change_titles", []):
            click.echo(f"    {title}")


def _assessed_countries() -> list[str]:
    """The countries of the assessments in the database (ISO alpha-3), whose events the import
    counts by day for their pages. None when there is no database yet (an SQLite file is not
    made for the asking) or it cannot be read: their pages then count from the events, and
    the worker's refresh of the evidence counts them
    (``evidence_refresh.count_versions_countries``)."""
    import logging

    from riskatlas.django_setup import setup_django, sqlite_file

    try:
        setup_django()
        sqlite = sqlite_file()
        if sqlite is not None and not sqlite.is_file():
            return []
        from riskatlas.apps.assessments.evidence_refresh import assessed_countries

        return assessed_countries()
    except Exception as exc:  # not migrated, unreachable, or no access (as under tests)
        logging.getLogger(__name__).info("the assessments' countries were not read: %s", exc)
        return []


def _queue_evidence_refresh(path: Path, db: Path | None, changes: int = 0) -> None:
    """The import committed: queue the evidence beside assessments to be computed again by
    the worker (``apps.assessments.tasks.evidence_store_changed``), when it went
    into the store the web app reads; and, when a feed import recorded changes, the trip
    checks that read them (``apps.feeds.signals.feeds_changed``), as after the worker's
    refresh. A queue that cannot be reached fails nothing."""
    from riskatlas.evidence.operations import store_path
    from riskatlas.evidence.store import events_db_path

    if store_path(db).resolve() != events_db_path().resolve():
        return
    from riskatlas.django_setup import setup_django

    try:
        setup_django()
        from riskatlas.apps.assessments.tasks import evidence_store_changed

        evidence_store_changed(path, db)
        if changes:
            from riskatlas.apps.feeds.signals import feeds_changed

            feeds_changed.send(sender=import_command, changes=changes)
    except Exception as exc:  # the queue or the database unreachable: the import stands
        click.echo(f"note: the pages' evidence was not queued for refresh ({exc})", err=True)


def _scope(source: str, path: Path, full: bool | None, fetch: bool) -> Scope | None:
    """What the import says about an event file's coverage (None for other sources)."""
    from riskatlas.evidence.coverage import scope_for

    if source not in EVENT_SOURCES:
        if full is not None:
            raise click.UsageError("--full and --sample apply to event sources only")
        return None
    stated = None if full is None else ("full" if full else "sample")
    return scope_for(path, stated, fetched=fetch)


@data.command("parquet")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--db", type=click.Path(path_type=Path), help="Evidence store (DuckDB file).")
def parquet_command(out_dir: Path, db: Path | None) -> None:
    """Write the evidence store as Parquet partitioned by country and year (OUT_DIR/events/
    country_iso3=…/year=…), with coverage, imports and indicators beside it: the layout for
    event history beyond one machine (docs/deployment.md)."""
    from riskatlas.evidence import events_db_path
    from riskatlas.evidence.partitioned import export_partitioned

    store = db or events_db_path()
    if not store.exists():
        raise click.ClickException(f"{store}: no evidence store yet; run `riskatlas data import`")
    written = export_partitioned(store, out_dir)
    rows = ", ".join(f"{table} {count:,}" for table, count in written.items())
    click.echo(f"{out_dir}: {rows}")


@data.command("status")
@click.option("--db", type=click.Path(path_type=Path), help="Evidence store (DuckDB file).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def status_command(db: Path | None, fmt: str) -> None:
    """Per source: rows loaded, rows rejected (quarantined), date range, last import."""
    from riskatlas.evidence.operations import store_status

    store, rows = store_status(db)
    if fmt == "json":
        click.echo(json.dumps({"store": str(store), "sources": rows}, indent=2))
        return
    if not rows:
        click.echo(f"{store}: nothing imported yet (riskatlas data import SOURCE PATH)")
        return
    from rich.console import Console
    from rich.table import Table

    from riskatlas.evidence.catalogue import coverage_text

    table = Table("source", "kind", "loaded", "rejected", "from", "to", title=str(store))
    covered = []
    for row in rows:
        table.add_row(
            str(row["source"]), str(row["kind"]), str(row["rows_loaded"]),
            str(row["rows_rejected"]), str(row["from"] or ""), str(row["to"] or ""),
        )  # fmt: skip
        files = row.get("coverage")
        if isinstance(files, list):
            covered.append(f"{row['source']}:\n" + coverage_text(files))
    Console().print(table)
    if covered:
        click.echo("What the event files cover (no likelihood is suggested from a sample or an "
                   "unstated file):")  # fmt: skip
        click.echo("\n".join(covered))


@click.command("baseline")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the CSV here.")
@click.option("--db", type=click.Path(path_type=Path), help="Evidence store (DuckDB file).")
@click.option(
    "--compare",
    "compare",
    default=None,
    help="Also print Spearman vs a government's levels (e.g. unitedstates): held out by "
    "region, in sample, and the countries it disagrees with most.",
)
def baseline(output: Path | None, db: Path | None, compare: str | None) -> None:
    """Country scores from the imported evidence: iso3,score,<domain scores>,indicators,drivers
    (10 = worst; indicators: how many have data; drivers: the domains' shares of the score)."""
    from riskatlas.evidence.baseline_fit import validation_text
    from riskatlas.evidence.operations import baseline_csv, existing_store

    try:
        store = existing_store(db)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    text = baseline_csv(store)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{output}: {text.count(chr(10)) - 1} countries", err=True)
    else:
        click.echo(text, nl=False)
    if compare:
        click.echo(validation_text(store, compare), err=True)


def _import_progress(transient: bool) -> Progress:
    """The import's progress bar on standard error (off when that is not a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=transient,
        disable=not sys.stderr.isatty(),
    )
