"""Start Django for the command line (settings from the environment)."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskatlas.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    """Create or upgrade the database schema (the SQLite folder is made if needed)."""
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        Path(str(db["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=verbosity)
    # The shared cache's table, also when the cache moved from Redis to the database later.
    call_command("createcachetable", verbosity=0)


def throwaway_site(home: str) -> None:
    """Django on a fresh SQLite database in ``home``, migrated, answering the test client's
    host: what benchmarks measure pages on."""
    os.environ["RISKATLAS_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ["RISKATLAS_ALLOWED_HOSTS"] = "testserver"
    setup_django()
    migrate()
