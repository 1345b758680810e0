"""Every ``riskatlas`` command, one thin click wrapper per module, registered by
``riskatlas.cli``:

- ``validate``: validate (``riskatlas.document``);
- ``assessments``: import, export, diff (``riskatlas.document``, the assessments app);
- ``report``: report (``riskatlas.reports``);
- ``extract``: extract (``riskatlas.extraction``; ``--into`` the drafts app);
- ``data``: data import|status, baseline (``riskatlas.evidence``);
- ``advice``: advice (official advice levels read from pages or the evidence store);
- ``users``: users add (the accounts app);
- ``server``: demo, serve, info (the web app);
- ``backup``: backup, restore (``riskatlas.backup``: the database and the evidence store);
- ``maps``: maps build (``riskatlas.geography``);
- ``worker``: worker (background jobs: the jobs app on the task queue);
- ``trip``: trip check|brief (``riskatlas.travel``: travel decisions from published assessments).

A command module imports click and the standard library only; anything heavier (DuckDB,
WeasyPrint, Jinja, spaCy, Django, the core packages) is imported inside the command function.
"""

from __future__ import annotations

from riskatlas.commands.assessments import diff, export, import_
from riskatlas.commands.backup import backup, restore
from riskatlas.commands.data import baseline, data
from riskatlas.commands.extract import extract
from riskatlas.commands.maps import maps
from riskatlas.commands.report import report
from riskatlas.commands.server import demo, info, serve
from riskatlas.commands.trip import trip
from riskatlas.commands.users import users
from riskatlas.commands.validate import validate
from riskatlas.commands.worker import worker

# In the order of the command-line contract; `riskatlas --help` lists them alphabetically.
COMMANDS = (
    validate, import_, export, diff, report, extract, data, baseline,
    users, demo, serve, worker, maps, info, backup, restore, trip,
)  # fmt: skip
