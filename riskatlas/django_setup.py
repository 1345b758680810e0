"""Start Django for the command line (settings from the environment)."""

from __future__ import annotations

import os
from pathlib import Path


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskatlas.settings")
    import django

    django.setup()


def sqlite_file() -> Path | None:
    """The configured database's file when it is SQLite (which may not exist yet: SQLite
    makes it when first opened); None for another engine. Django must be set up."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    return Path(str(db["NAME"])) if db["ENGINE"].endswith("sqlite3") else None


def migrate(verbosity: int = 0) -> None:
    """Create or upgrade the database schema (the SQLite folder is made if needed)."""
    from django.core.management import call_command

    sqlite = sqlite_file()
    if sqlite is not None:
        sqlite.parent.mkdir(parents=True, exist_ok=True)
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
