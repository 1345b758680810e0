"""Which recorded changes concern a team: those about the countries of its assessments
(a hazard also when one of the countries it affects is one of them). The store keeps the
changes of every country (``riskatlas.evidence.changes``); this is where teams come in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from riskatlas.apps.accounts.permissions import teams_of
from riskatlas.apps.assessments.models import Assessment
from riskatlas.evidence import events_db_path
from riskatlas.evidence.areas import country_iso3
from riskatlas.evidence.changes import list_changes


def assessed_countries(user: Any) -> list[str]:
    """ISO 3166-1 alpha-3 codes of the countries of the assessments of the user's teams."""
    codes = (
        Assessment.objects.filter(team__in=teams_of(user).values("pk"))
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted({iso3 for code in codes if (iso3 := country_iso3(code))})


class ChangeRows:
    """What a paginator (the page's, the API's) pages through: the store is asked for one page
    at a time. Raises StoreBusy while an import writes the store."""

    def __init__(self, countries: list[str] | None, kinds: list[str] | None) -> None:
        self.countries, self.kinds = countries, kinds
        self.total, _ = list_changes(events_db_path(), countries=countries, kinds=kinds, limit=0)

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[dict[str, object]]:
        start, stop = window.start or 0, window.stop or self.total
        rows = list_changes(
            events_db_path(), countries=self.countries, kinds=self.kinds,
            limit=stop - start, offset=start,
        )[1]  # fmt: skip
        for row in rows:
            row["recorded_at"] = datetime.fromisoformat(str(row["recorded"]))
        return rows
