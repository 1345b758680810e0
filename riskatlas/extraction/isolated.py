"""Reading an uploaded report in a separate process, with a time and a memory limit.

The web server never opens an uploaded file itself: ``read_isolated(path)`` runs
``python -m riskatlas.extraction.isolated`` on it, which limits its own address space
(``RLIMIT_AS``) and processor time before reading the file and extracting its draft, and
hands both back as JSON. A file that takes too long, needs too much memory or crashes the
reader gives DocumentError with a message; the server carries on. The limits:
``RISKATLAS_READING_SECONDS`` (default 120) and ``RISKATLAS_READING_MEMORY_MB`` (default 2048).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskatlas.extraction.documents import DocumentError

SECONDS_ENVIRONMENT = "RISKATLAS_READING_SECONDS"
MEMORY_ENVIRONMENT = "RISKATLAS_READING_MEMORY_MB"
DEFAULT_SECONDS = 120
DEFAULT_MEMORY_MB = 2048


@dataclass(frozen=True)
class Reading:
    """A report file read: its text and the engine's draft of it (offsets index the text)."""

    text: str
    draft: dict[str, Any]


def _setting(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


def reading_seconds() -> int:
    """The time limit of one reading, in seconds (``RISKATLAS_READING_SECONDS``)."""
    return _setting(SECONDS_ENVIRONMENT, DEFAULT_SECONDS)


def read_isolated(
    path: Path,
    *,
    use_model: bool = True,
    seconds: int | None = None,
    memory_mb: int | None = None,
    country: str | None = None,
) -> Reading:
    """Read and extract ``path`` in a child process within the limits; DocumentError (its
    message starting with the path) when the file cannot be read or the child is stopped.
    ``country``: the country of the assessment it is read into (``engine.extract``)."""
    seconds = seconds or reading_seconds()
    memory_mb = memory_mb or _setting(MEMORY_ENVIRONMENT, DEFAULT_MEMORY_MB)
    out = path.with_name(path.name + ".reading.json")
    command = [sys.executable, "-m", __name__, str(path), str(out), str(memory_mb), str(seconds)]
    try:
        done = subprocess.run(
            [*command, "model" if use_model else "no-model", country or ""],
            capture_output=True,
            text=True,
            timeout=seconds,
        )
    except subprocess.TimeoutExpired as error:
        raise DocumentError(
            f"{path}: reading took longer than {seconds} s and was stopped "
            f"({SECONDS_ENVIRONMENT}); split the report into parts"
        ) from error
    if done.returncode == 0 and out.is_file():
        result = json.loads(out.read_text(encoding="utf-8"))
        out.unlink()
        if "error" in result:
            raise DocumentError(result["error"])
        return Reading(result["text"], result["draft"])
    if "MemoryError" in done.stderr or done.returncode == 3:
        raise DocumentError(
            f"{path}: reading needed more than {memory_mb} MB of memory and was stopped "
            f"({MEMORY_ENVIRONMENT}); split the report into parts"
        )
    last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
    raise DocumentError(f"{path}: the file could not be read ({last})")


def _main(argv: list[str]) -> int:
    """The child: limit itself, read the file, extract it, write the JSON result."""
    import resource

    path, out, memory_mb, seconds, model, country = argv
    limit = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (int(seconds) + 5, int(seconds) + 10))
    try:
        from riskatlas.extraction.documents import read_document
        from riskatlas.extraction.engine import extract

        text = read_document(path)
        draft = extract(text, use_model=model == "model", country=country or None)
        result: dict[str, Any] = {"text": text, "draft": draft}
    except DocumentError as error:
        result = {"error": str(error)}
    except MemoryError:
        return 3
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
