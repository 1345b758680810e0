"""A version's report or register as a file: rendered once per content, format, evidence and
day, kept in ``RISKATLAS_HOME/reports`` and served again until any of them changes.

The key is the version's stored content hash with its status and review-by date (no export
is needed to find a cached file), the format, the evidence store's state (its size and
modification time: reports quote open data) and the date (staleness is judged against today),
so a cached file is never out of date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from riskatlas.apps.assessments.interchange import content_hash, export_version
from riskatlas.config import home

#: Media types of what a version can be downloaded as.
REPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "yaml": "application/yaml; charset=utf-8",
}


def reports_dir() -> Path:
    return home() / "reports"


def _evidence_state() -> str:
    from riskatlas.evidence import events_db_path

    try:
        stat = events_db_path().stat()
    except OSError:
        return "no-store"
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def version_state(version: Any) -> str:
    """What a version's files depend on (``AssessmentVersion.state``, read from the row); a
    version without a stored hash is exported."""
    state = version.state
    if state is None:
        return content_hash(export_version(version))
    return ":".join(map(str, state))


def report_key(state: str, fmt: str, today: dt.date | None = None) -> str:
    day = (today or dt.date.today()).isoformat()
    parts = [state, fmt, _evidence_state(), day]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def file_name(version: Any, fmt: str) -> str:
    """What the downloaded file is called."""
    name = "register" if fmt in ("csv", "xlsx") else "report"
    return f"{version.assessment.slug}-v{version.number}-{name}.{fmt}"


def report_path(version: Any, fmt: str) -> Path:
    return reports_dir() / f"{report_key(version_state(version), fmt)}.{fmt}"


def cached_report(version: Any, fmt: str) -> Path | None:
    """The file already rendered for the version as it is now, if there is one."""
    path = report_path(version, fmt)
    return path if path.is_file() else None


def render_body(doc: dict[str, Any], fmt: str) -> bytes | str:
    """The report (html, pdf, md, docx), register (csv), workbook of every part (xlsx) or
    document (yaml) of ``doc``."""
    if fmt == "yaml":
        from riskatlas.document import dump

        return dump(doc)
    if fmt == "csv":
        from riskatlas.document.register import register_csv

        return register_csv(doc)
    if fmt == "xlsx":  # every part, the register's sheet first
        from riskatlas.document.workbook import workbook_xlsx

        return workbook_xlsx(doc)
    from riskatlas.evidence import events_db_path
    from riskatlas.reports.open_data import gather
    from riskatlas.reports.render import render

    return render(doc, fmt, gather(doc, events_db_path()))


def render_report_file(version: Any, fmt: str) -> Path:
    """Render the version in ``fmt`` to its cached file (written whole, then moved in place,
    so a reader never sees half a file) and return the file."""
    if fmt not in REPORT_TYPES:
        raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(REPORT_TYPES)}")
    path = report_path(version, fmt)
    if path.is_file():
        return path
    body = render_body(export_version(version), fmt)
    data = body.encode("utf-8") if isinstance(body, str) else body
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)
    return path
