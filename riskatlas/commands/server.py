"""Commands that run the web app: demo and serve; and info about the installation."""

from __future__ import annotations

import os
from pathlib import Path

import click

DEMO_TEAM = "Demo NGO security unit"
OTHER_TEAM = "Other organisation"
# (username, team, role): the demo's people, documented in the README.
DEMO_USERS = (
    ("reader", DEMO_TEAM, "reader"),
    ("analyst", DEMO_TEAM, "analyst"),
    ("reviewer", DEMO_TEAM, "reviewer"),
    ("admin", DEMO_TEAM, "admin"),
    ("outsider", OTHER_TEAM, "reader"),
)


def create_demo_users(password: str) -> None:
    from riskatlas.apps.accounts.users import add_user

    for username, team, role in DEMO_USERS:
        add_user(username, team, role, password, check_password=False)


def load_examples(echo: bool = True) -> list[str]:
    """Import every bundled example assessment into the demo team (idempotent)."""
    from riskatlas.apps.accounts.users import ensure_team
    from riskatlas.apps.assessments.models import VersionLockedError
    from riskatlas.apps.assessments.writer import import_document
    from riskatlas.config import examples_dir
    from riskatlas.document import validate_file

    messages = []
    for path in sorted(Path(examples_dir()).glob("*.yaml")):
        validation = validate_file(path)
        if not validation.ok:
            for problem in validation.problems:
                click.echo(problem.format(str(path)), err=True)
            messages.append(f"{path.name}: not loaded ({len(validation.problems)} problem(s))")
            continue
        try:
            result = import_document(validation.document(), team=ensure_team(DEMO_TEAM))
        except VersionLockedError as exc:
            messages.append(f"{path.name}: not loaded ({exc})")
            continue
        messages.append(f"{path.name}: {result.describe()}")
    if echo:
        for message in messages:
            click.echo(message)
    return messages


# Who signs trips in the demo team: the reviewer holds the policy's first three approver roles
# (line manager, country security focal point, regional security manager), the admin the last.
DEMO_APPROVERS = (
    ("reviewer", "line-manager"),
    ("reviewer", "security-focal-point"),
    ("reviewer", "regional-security-manager"),
    ("admin", "head-of-security"),
)


def load_example_trips(echo: bool = True) -> list[str]:
    """Import every bundled example trip (examples/trips/*.yaml) into the demo team unless a
    trip of that id is there already, and give the demo users their approver roles."""
    from django.contrib.auth import get_user_model

    from riskatlas.apps.accounts.users import ensure_team
    from riskatlas.apps.travel.interchange import import_trip_file
    from riskatlas.apps.travel.models import ApproverRole, Trip
    from riskatlas.config import examples_dir

    team = ensure_team(DEMO_TEAM)
    users = get_user_model().objects
    for username, role in DEMO_APPROVERS:
        user = users.filter(username=username).first()
        if user is not None:
            ApproverRole.objects.get_or_create(team=team, user=user, role=role)
    messages = []
    for path in sorted((Path(examples_dir()) / "trips").glob("*.yaml")):
        if Trip.objects.filter(team=team, slug=path.stem).exists():
            continue
        trip = import_trip_file(
            team, path.read_bytes(), path.name, users.filter(username="analyst").first()
        )
        messages.append(f"trips/{path.name}: created trip {trip.slug}")
    if echo:
        for message in messages:
            click.echo(message)
    return messages


# The proxy headers waitress believes from RISKATLAS_TRUSTED_PROXY (docs/deployment.md).
PROXY_HEADERS = {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"}


def serving_options(threads: int | None = None) -> dict[str, object]:
    """waitress's options from the settings: worker threads and the trusted reverse proxy.

    Behind a proxy, waitress takes the scheme, client address and host from its
    X-Forwarded-* headers and clears those headers on requests from any other address."""
    from django.conf import settings

    options: dict[str, object] = {"threads": threads or settings.SERVE_THREADS}
    if settings.TRUSTED_PROXY:
        options.update(
            trusted_proxy=settings.TRUSTED_PROXY,
            trusted_proxy_count=settings.TRUSTED_PROXY_COUNT,
            trusted_proxy_headers=PROXY_HEADERS,
        )
    return options


WORKER_OPTION = click.option(
    "--worker/--no-worker", default=True, show_default=True,
    help="Start a background worker (`riskatlas worker`) beside the server, stopped with it.",
)  # fmt: skip


def gunicorn_options(host: str, port: int, processes: int, threads: int) -> dict[str, object]:
    """gunicorn's settings for ``processes`` app processes of ``threads`` threads each; the
    proxy headers are left to the app's middleware (``_behind_proxy``)."""
    options: dict[str, object] = {
        "bind": f"{host}:{port}",
        "workers": processes,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 120,  # a report rendered in the request (md, docx) may take seconds
        "graceful_timeout": 20,
        # Idle kept-alive connections held as long as waitress holds them (its channel_timeout):
        # at gunicorn's 2 s a request sent by a client pausing about 2 s met the connection
        # closing and failed (the load benchmark's users with pauses: a ConnectionError or
        # five in 600). gthread's worker keeps idle connections in its poller, not in a thread.
        "keepalive": 120,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "riskatlas",
        # gunicorn believes no forwarded header itself: waitress's proxy middleware does, as
        # `serve` with one process does (see _behind_proxy).
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
    }
    return options


def _behind_proxy(application: object) -> object:
    """The app wrapped in waitress's proxy-header middleware with the same settings as
    waitress uses in one process: the scheme, client address and host from X-Forwarded-* only
    on requests from the trusted proxy; those headers cleared on any other request."""
    from waitress.proxy_headers import proxy_headers_middleware

    options = serving_options()
    options.pop("threads")
    return proxy_headers_middleware(application, **options)


def _serve_processes(options: dict[str, object]) -> None:
    """Run gunicorn (a master and its worker processes) in this process until it stops."""
    from gunicorn.app.base import BaseApplication

    from riskatlas.wsgi import application as django_application

    application = _behind_proxy(django_application)

    class RiskatlasProcesses(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> object:
            return application

    RiskatlasProcesses().run()


def _serve(
    host: str,
    port: int,
    threads: int | None = None,
    worker: bool = True,
    processes: int | None = None,
) -> None:
    from django.conf import settings
    from waitress import serve

    from riskatlas.reports.chromium_kept import keep_browsers
    from riskatlas.wsgi import application

    keep_browsers()  # the app's PDFs printed by browsers kept between prints
    options = serving_options(threads)
    processes = processes or settings.SERVE_PROCESSES
    if settings.PRODUCTION and not settings.TRUSTED_PROXY:
        click.echo(
            "warning: RISKATLAS_PRODUCTION=1 redirects every plain-HTTP request to https;"
            " behind a TLS proxy set RISKATLAS_TRUSTED_PROXY to its address",
            err=True,
        )
    proxy = f", trusting proxy {settings.TRUSTED_PROXY}" if settings.TRUSTED_PROXY else ""
    shape = (
        f"{processes} processes × {options['threads']} threads"
        if processes > 1
        else (f"{options['threads']} threads")
    )
    click.echo(f"riskatlas is running at http://{host}:{port}/  ({shape}{proxy}; Ctrl+C to stop)")
    beside = None
    if worker:
        import signal
        import sys

        from riskatlas.commands.worker import start_beside

        beside = start_beside()
        # SIGTERM (a service manager stopping the server) ends the server through `finally`,
        # which stops the worker with it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        if processes > 1:
            _serve_processes(gunicorn_options(host, port, processes, int(str(options["threads"]))))
        else:
            serve(application, host=host, port=port, ident="riskatlas", **options)
    finally:
        if beside is not None:
            beside.terminate()
            beside.wait(timeout=30)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up the database and examples, then stop.")
@WORKER_OPTION
def demo(host: str, port: int, no_serve: bool, worker: bool) -> None:
    """Create or upgrade the database, load the bundled examples, and serve the web app."""
    from riskatlas.django_setup import migrate, setup_django

    # The links emailed (check-ins) lead to the server the demo starts, unless set otherwise;
    # the worker beside it reads the same environment.
    reachable = "localhost" if host in ("0.0.0.0", "::", "") else host  # every interface
    os.environ.setdefault("RISKATLAS_SITE_URL", f"http://{reachable}:{port}")
    setup_django()
    from django.conf import settings

    click.echo(f"database: {settings.DATABASES['default']['NAME']}")
    click.echo(f"links in emails (check-ins): {settings.RISKATLAS_SITE_URL.rstrip('/')}/")
    migrate()
    load_examples()
    password = os.environ.get("RISKATLAS_DEMO_PASSWORD", "riskatlas-demo")
    create_demo_users(password)
    load_example_trips()
    users = ", ".join(f"{u} ({r}, {t})" for u, t, r in DEMO_USERS)
    click.echo(f"demo users (password {password!r}): {users}")
    if not no_serve:
        _serve(host, port, worker=worker)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--threads", type=click.IntRange(min=1), default=None,
    help="Requests served at once (default: RISKATLAS_THREADS, else 4).",
)  # fmt: skip
@click.option(
    "--processes", type=click.IntRange(min=1), default=None,
    help="App processes (default: RISKATLAS_PROCESSES, else 1); more than one runs gunicorn's "
    "threaded workers, each with --threads threads, sharing one cache.",
)  # fmt: skip
@WORKER_OPTION
def serve(host: str, port: int, threads: int | None, processes: int | None, worker: bool) -> None:
    """Serve the web app on the configured database (migrating it first).

    Behind a TLS reverse proxy set RISKATLAS_TRUSTED_PROXY to the proxy's address; see
    docs/deployment.md."""
    from riskatlas.django_setup import migrate, setup_django

    setup_django()
    migrate()
    _serve(host, port, threads, worker, processes)


@click.command()
def info() -> None:
    """Where riskatlas keeps its data and which database it uses: every path it reads or
    writes (RISKATLAS_HOME holds the database and the evidence store unless DATABASE_URL or
    RISKATLAS_EVENTS_DB say otherwise)."""
    from riskatlas.config import (
        boundaries_dir,
        database_url,
        events_db,
        examples_dir,
        home,
        node_modules_dir,
        readings_dir,
    )
    from riskatlas.extraction.gazetteer import cache_path

    rows = (
        ("home", home()),
        ("database", database_url()),
        ("evidence store", events_db()),
        ("boundaries", f"{boundaries_dir()} (built by riskatlas maps build)"),
        ("uploads", f"{readings_dir() / 'riskatlas-reading-*'} while read, then deleted; "
                    "the text is kept in the database"),
        ("gazetteer cache", cache_path()),
        ("front-end packages", node_modules_dir()),
        ("examples", examples_dir()),
    )  # fmt: skip
    for name, value in rows:
        click.echo(f"{name + ':':<20}{value}")
