"""Evidence from open data: events, indicators, official advice and a country baseline.

Pure Python on DuckDB (no Django). The calls the report and web pages need:

- ``evidence_panel(db_path, area_codes, category, start, end)``: the period clipped to the
  data held (``coverage``), counts, severity, rate, trend with its p-value, a suggested
  likelihood only from complete data with enough events (else why not), top sub-types,
  sample events;
- ``official_advice(db_path, iso3)``: per government, level and no-go areas (section 12),
  and ``compare_with_advice(advice, own_level, area_code)``: beside the assessment's level;
- ``baseline_scores(db_path)``: the country baseline, one row per country;
- ``events_db_path()``: where the store is; ``connect`` opens it; ``import_file`` imports.

Each call opens the store for its own duration; while another process imports, they raise
``StoreBusy`` (DuckDB allows one writing process per file).
"""

from riskatlas.evidence.advice import compare_with_advice, official_advice
from riskatlas.evidence.analytics import evidence_panel, monthly_table, refresh_monthly
from riskatlas.evidence.baseline import agreement_with_advice, baseline_scores
from riskatlas.evidence.catalogue import import_file, source_names, status
from riskatlas.evidence.store import StoreBusy, connect, events_db_path

__all__ = [
    "StoreBusy",
    "agreement_with_advice",
    "baseline_scores",
    "compare_with_advice",
    "connect",
    "events_db_path",
    "evidence_panel",
    "import_file",
    "monthly_table",
    "official_advice",
    "refresh_monthly",
    "source_names",
    "status",
]
