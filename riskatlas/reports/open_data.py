"""Gathering the imported open data that a report shows beside an assessment: events next to
each risk (register) and the governments' advice next to the area levels (section 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskatlas.reports.context import ReportContext, build_context


def gather(
    doc: dict[str, Any], db_path: Path | None, ctx: ReportContext | None = None
) -> dict[str, Any]:
    """{"evidence": ..., "advice": ...} for the document from the event store, or {} when
    there is no store. ``ctx`` is the document's report context, when already built."""
    if db_path is None or not Path(db_path).is_file():
        return {}
    from riskatlas.evidence.assessment import advice_beside, risk_evidence
    from riskatlas.evidence.evidence_cache import together
    from riskatlas.evidence.reading import Reading

    ctx = ctx or build_context(doc)
    country = doc["assessment"]["country"]
    own_levels = {
        a.code: (a.name, a.level.level.value)
        for a in sorted(ctx.areas, key=lambda a: a.code != country)
        if a.level.level and not a.is_custom
    }
    # One connection for both, opened only when one of them is not kept already; what is
    # computed is shared with the other app processes in one write.
    with together(), Reading(Path(db_path)) as reading:
        return {
            "evidence": risk_evidence(db_path, doc, reading=reading),
            "advice": advice_beside(db_path, doc, own_levels, reading=reading),
        }
