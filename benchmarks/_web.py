"""What the page benchmarks share: an analyst signed in with Django's test client, a timed GET,
the 95th percentile. Call ``analyst_client`` only after ``throwaway_site`` has set Django up."""

from __future__ import annotations

import time
from typing import Any


def analyst_client(team_name: str = "Benchmark team") -> tuple[Any, Any]:
    """A team and a test client signed in as an analyst of it (user ``analyst``)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from riskatlas.apps.accounts.models import Membership, Role
    from riskatlas.apps.accounts.users import ensure_team

    team = ensure_team(team_name)
    analyst = get_user_model().objects.create_user(username="analyst")
    Membership.objects.create(user=analyst, team=team, role=Role.ANALYST)
    client = Client()
    client.force_login(analyst)
    return team, client


def timed_get(client: Any, url: str) -> float:
    """Seconds one GET of ``url`` took; stops the benchmark on any answer but 200."""
    started = time.perf_counter()
    response = client.get(url)
    wall = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"GET {url}: {response.status_code}")
    return wall


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def kept_sections() -> Any:
    """The module that keeps the assessment page's sections (``page_sections``), wherever the
    code being measured has it, or None for code from before it."""
    try:
        from riskatlas.apps.assessments import page_sections
    except ImportError:
        try:  # where it was until 5 December 2026
            from riskatlas.apps.assessments.views import page_sections  # type: ignore[no-redef]
        except ImportError:
            return None
    return page_sections


def count_peru(store: Any) -> None:
    """Have ``store`` count Peru's events by day, as the import command does when the Peru
    assessment is in its database (decision 0009; ``riskatlas data import ... --db`` run with
    another database counts nothing, and the page would count from the events). Code from
    before counted every country at import, and has nothing to do."""
    import sys

    try:
        from riskatlas.evidence.operations import count_by_day
    except ImportError:
        return
    counted = count_by_day(["PER"], store)
    if counted:
        print(f"({store}: the events of {', '.join(counted)} counted by day)", file=sys.stderr)
