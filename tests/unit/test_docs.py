"""Every command is documented in the README, as the product brief's contract promises."""

from pathlib import Path

import click

from riskatlas.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "riskatlas") -> list[str]:
    names = []
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            names += _commands(command, full)
        else:
            names.append(full)
    return names


def test_every_command_is_in_the_readme():
    commands = _commands(main)
    assert len(commands) >= 12
    missing = [c for c in commands if c not in README]
    assert missing == [], f"undocumented in README.md: {missing}"
