"""Loading the evidence package's bundled data files (mapping tables, index definitions)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import Any

import yaml


def data_text(name: str) -> str:
    return resources.files("riskatlas.evidence").joinpath("data", name).read_text("utf-8")


@cache
def load_yaml(name: str) -> Any:
    """The parsed YAML file ``riskatlas/evidence/data/<name>``."""
    return yaml.safe_load(data_text(name))


@cache
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of the CSV file ``riskatlas/evidence/data/<name>`` (lines starting # skipped)."""
    lines = [line for line in data_text(name).splitlines() if not line.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(io.StringIO("\n".join(lines))))
