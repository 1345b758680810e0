"""Loading the method's bundled data files."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load_data(name: str) -> Any:
    """Return the parsed YAML data file ``riskatlas/method/data/<name>``."""
    text = resources.files("riskatlas.method").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text)
