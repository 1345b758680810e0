"""The command line starts light: `riskatlas --help` and every command's `--help` import
click and the command modules, never DuckDB, WeasyPrint, spaCy, pandas, openpyxl, Jinja (the
report modules) or Django; those load inside the command that runs (issue 9, "one door")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click

from riskatlas.cli import main

ROOT = Path(__file__).resolve().parents[2]
# The commands of the command-line contract (README).
CONTRACT = (
    "validate", "import", "export", "diff", "report", "extract", "data", "baseline",
    "users", "demo", "serve", "maps", "info", "backup", "restore", "advice",
    "worker", "trip",
)  # fmt: skip
HEAVY = ("duckdb", "weasyprint", "spacy", "pandas", "openpyxl", "jinja2", "django")
# Core packages that bring the heavy ones with them (the reports' Jinja modules, DuckDB's
# evidence store, spaCy-capable extraction) or that only a running command needs.
CORE = ("riskatlas.reports", "riskatlas.evidence", "riskatlas.extraction", "riskatlas.apps")


def _invocations(group: click.Group, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    """``--help`` for the group and every command and subcommand under it."""
    found = [[*prefix, "--help"]]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _invocations(command, (*prefix, name))
        else:
            found.append([*prefix, name, "--help"])
    return found


def _modules_after(invocations: list[list[str]]) -> tuple[list[str], list[str]]:
    """Run every invocation in one fresh interpreter; its loaded modules and help texts."""
    script = (
        "import io, json, sys\n"
        "from contextlib import redirect_stdout\n"
        "from riskatlas.cli import main\n"
        "texts = []\n"
        f"for args in {invocations!r}:\n"
        "    out = io.StringIO()\n"
        "    with redirect_stdout(out):\n"
        "        main(args, prog_name='riskatlas', standalone_mode=False)\n"
        "    texts.append(out.getvalue())\n"
        "print(json.dumps({'modules': sorted(sys.modules), 'texts': texts}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    return result["modules"], result["texts"]


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_help_lists_every_command_of_the_contract():
    done = subprocess.run(
        [sys.executable, "-m", "riskatlas", "--help"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = {
        line.split()[0]
        for line in done.stdout.split("Commands:", 1)[1].splitlines()
        if line.startswith("  ") and line.strip()
    }
    assert sorted(set(CONTRACT) - listed) == []
    assert set(main.commands) == set(CONTRACT)


def test_help_imports_nothing_heavy():
    modules, texts = _modules_after([["--help"]])
    assert "Commands:" in texts[0]
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, CORE) == []


def test_every_command_help_imports_nothing_heavy():
    invocations = _invocations(main)
    assert len(invocations) > len(CONTRACT)  # the group, each command, the subcommands
    modules, texts = _modules_after(invocations)
    assert len(texts) == len(invocations)
    assert all(text.startswith("Usage: riskatlas") for text in texts)
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, CORE) == []


def test_the_choices_spelt_out_for_help_match_the_core():
    """`data import` and `report --format` list their choices without loading the core."""
    from riskatlas.commands.data import EVENT_SOURCES, SOURCES
    from riskatlas.commands.report import FORMATS
    from riskatlas.evidence import source_names
    from riskatlas.evidence.catalogue import EVENT_SOURCES as CORE_EVENT_SOURCES
    from riskatlas.reports.render import FORMATS as REPORT_FORMATS

    assert list(SOURCES) == source_names()
    assert list(EVENT_SOURCES) == list(CORE_EVENT_SOURCES)  # --full/--sample apply to these
    assert FORMATS == REPORT_FORMATS
