"""``riskatlas trip check|brief TRIP.yaml``: a trip checked against the published assessments
and the travel policy (``riskatlas.travel``), as JSON or a table, and the traveller brief as
PDF, HTML or Markdown. Read-only: nothing is stored.

The assessments: each ``--assessment`` (a FILE.yaml or an imported assessment's id or slug),
else the newest published version of each stored assessment of a country on the itinerary
(the ``--team``'s only, when given). The policy: ``--policy FILE``, else the team's policy in
the web app when ``--team`` is given and it has one, else the default policy.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

BRIEF_FORMATS = ("pdf", "html", "md")


def _fail_on_problems(exc: Any) -> None:
    for problem in exc.problems:
        click.echo(problem.format(exc.filename), err=True)
    raise SystemExit(1)


def _database(countries: list[str], team: str | None) -> tuple[list[Any], dict[str, Any] | None]:
    """The published assessments (and the team's policy) from the database."""
    from riskatlas.django_setup import migrate, setup_django

    setup_django()
    migrate()
    from riskatlas.apps.accounts.models import Team
    from riskatlas.apps.assessments.published import published_coverings

    owner = None
    if team is not None:
        owner = Team.objects.filter(slug=team).first()
        if owner is None:
            raise click.ClickException(f"no team {team!r}")
    coverings = published_coverings(countries, owner)
    policy = None
    if owner is not None:
        from riskatlas.apps.travel.deciding import policy_of

        policy = policy_of(owner)  # the team's, else the default
    return coverings, policy


def _advice() -> dict[str, list[dict[str, Any]]]:
    from riskatlas.evidence import events_db_path
    from riskatlas.travel.inputs import official_advice

    return official_advice(events_db_path())


def run_check(
    trip_path: str,
    assessments: tuple[str, ...],
    policy_path: str | None,
    team: str | None,
    today: dt.date | None,
) -> Any:
    """Read everything the check needs and check the trip; exits 1 with every problem of a
    file that cannot be used."""
    from riskatlas.document import DocumentError
    from riskatlas.travel.check import check_trip
    from riskatlas.travel.exposure import Covering
    from riskatlas.travel.policy import check_policy_bytes, default_policy
    from riskatlas.travel.trip_file import load_trip

    try:
        trip = load_trip(trip_path)
    except DocumentError as exc:
        _fail_on_problems(exc)
    policy = None
    if policy_path is not None:
        try:
            policy = check_policy_bytes(Path(policy_path).read_bytes(), policy_path).content()
        except OSError as exc:
            raise click.ClickException(f"{policy_path}: cannot read: {exc.strerror}") from None
        except DocumentError as exc:
            _fail_on_problems(exc)
    coverings: list[Any] = []
    if assessments:
        from riskatlas.commands.report import AssessmentNotFound, resolve_document

        for ref in assessments:
            try:
                doc = resolve_document(ref)
            except DocumentError as exc:
                _fail_on_problems(exc)
            except AssessmentNotFound as exc:
                raise click.ClickException(str(exc)) from None
            a = doc["assessment"]
            coverings.append(Covering(doc, f"{a['slug']} v{a.get('version', 1)}"))
    else:
        from riskatlas.travel.inputs import trip_countries

        coverings, team_policy = _database(trip_countries(trip), team)
        policy = policy or team_policy
    return check_trip(trip, coverings, policy or default_policy(), today, _advice())


def _level(level: int | None, name: str | None, unassessed: str) -> str:
    """'level 4 (high)', or ``unassessed`` where no assessment gives a level."""
    return unassessed if level is None else f"level {level} ({name})"


def _table(result: dict[str, Any]) -> str:
    from riskatlas.travel.policy import reasons_in_words

    highest = _level(result["level"], result["level_name"], "no area on it assessed")
    lines = [
        f"{result['trip']['title']} ({result['trip']['start']} – {result['trip']['end']}): "
        + (f"highest {highest}" if result["level"] is not None else highest)
    ]
    for s in result["segments"]:
        lines.append(
            f"\n{s['index']}. {s['place']} [{s['area']}] {s['start']}–{s['end']}, "
            f"{s['transport_name']}{', after dark' if s['night_travel'] else ''}: "
            + _level(s["level"], s["level_name"], "not assessed")
        )
        for a in s["areas"]:
            stale = ", OUT OF DATE" if a["stale"] else ""
            where = a["assessment"] or "not assessed"
            if a["level"] is not None:
                where = f"level {a['level']} ({where}{stale})"
            elif a["assessment"]:
                where = f"no level ({where}{stale})"
            lines.append(f"   area {a['code']} {a['name']}: {where}")
        for r in s["risks"]:
            lines.append(f"   - {r['residual_name']:<9} {r['title']} ({'; '.join(r['why'])})")
        for rule in s["rules"]:
            lines.append(f"   rule {rule['id']}: because {rule['because']}")
    lines.append("\nApprovals, in order:")
    lines += [
        f"   {i}. {a['name']}: {reasons_in_words(a['reasons'])}"
        for i, a in enumerate(result["approvals"], 1)
    ]
    lines.append("Measures:")
    for m in result["measures"]:
        broken = (
            f"  <- BROKEN by segment {', '.join(map(str, m['broken_by']))}"
            if m["broken_by"]
            else ""
        )
        lines.append(f"   - {m['name']}{broken}")
    lines += _training(result)
    if result["check_in"]["interval_hours"]:
        lines.append(f"Check-ins every {result['check_in']['interval_hours']} h")
    if result["warnings"]:
        lines.append("Warnings:")
        lines += [f"   ! {w['text']}" for w in result["warnings"]]
    return "\n".join(lines)


def _training(result: dict[str, Any]) -> list[str]:
    """The courses the trip needs and why, and who has not done them (flagged: the decision
    should not be made before they have)."""
    from riskatlas.travel.policy import reasons_in_words

    required = (result.get("training") or {}).get("required") or []
    if not required:
        return []
    lines = ["Training required:"]
    lines += [f"   - {t['name']}: because {reasons_in_words(t['reasons'])}" for t in required]
    names = {t["id"]: t.get("name") or t["id"] for t in result.get("travellers") or []}
    courses = {t["course"]: t["name"] for t in required}
    for who, missing in (result["training"].get("missing") or {}).items():
        undone = ", ".join(courses.get(c, c) for c in missing)
        lines.append(f"   ! not done by {names.get(who, who)}: {undone}")
    return lines


def _options(function: Any) -> Any:
    for option in reversed(
        [
            click.argument("trip_file", type=click.Path(dir_okay=False, exists=True)),
            click.option(
                "--assessment",
                "assessments",
                multiple=True,
                help="An assessment FILE.yaml or an imported assessment's id or slug (repeat "
                "for several countries). Default: the published assessments in the database.",
            ),
            click.option(
                "--policy",
                "policy_path",
                type=click.Path(dir_okay=False),
                help="A travel policy YAML file.",
            ),
            click.option(
                "--team", default=None, help="The team whose assessments and policy count."
            ),
            click.option(
                "--today",
                type=click.DateTime(["%Y-%m-%d"]),
                default=None,
                help="Check as on this day (YYYY-MM-DD; default today): staleness depends on it.",
            ),
        ]
    ):
        function = option(function)
    return function


@click.group("trip")
def trip() -> None:
    """Travel decisions: a trip checked against the published assessments and the policy."""


@trip.command("check")
@_options
@click.option(
    "--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True
)
def check(
    trip_file: str,
    assessments: tuple[str, ...],
    policy_path: str | None,
    team: str | None,
    today: dt.datetime | None,
    fmt: str,
) -> None:
    """Check TRIP_FILE: per segment the areas and levels, the risks that apply to these
    travellers, the policy rules that fired and why; the approvals, measures (those the
    itinerary breaks), check-ins and warnings such as an out-of-date assessment."""
    result = run_check(trip_file, assessments, policy_path, team, today.date() if today else None)
    data = result.as_dict()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(_table(data))


@trip.command("brief")
@_options
@click.option("--format", "fmt", type=click.Choice(BRIEF_FORMATS), default="pdf", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="File to write; '-' for standard output. Default: TRIP-brief.FORMAT here.",
)
def brief(
    trip_file: str,
    assessments: tuple[str, ...],
    policy_path: str | None,
    team: str | None,
    today: dt.datetime | None,
    fmt: str,
    output: str | None,
) -> None:
    """Write the traveller brief of TRIP_FILE: levels on a map with the route, the risks for
    these travellers, the measures to follow, no-go areas, check-ins and contacts."""
    if fmt == "pdf":  # a Chromium (RISKATLAS_PDF_ENGINE) starts while the trip is checked
        from riskatlas.reports.pdf_chromium import start_early

        start_early()
    from riskatlas.reports.brief import render_brief

    result = run_check(trip_file, assessments, policy_path, team, today.date() if today else None)
    data = render_brief(result, fmt)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(output or f"{result.trip['trip']['id']}-brief.{fmt}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    click.echo(f"{path}: {fmt} traveller brief of {result.trip['trip']['id']}")
