"""A source cited on a risk, with a quote, where it is and the grade the analyst chose: one of
the version's sources, or a new one (the version's own with the same address or title is used
instead of a twin). Used inside a writer change, by the citation page and by the risk form."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.assessments.part_form import free_key
from riskatlas.apps.intelligence.forms import CiteSourceForm
from riskatlas.apps.intelligence.matching import same_source
from riskatlas.apps.intelligence.models import Evidence, Source


def asked(form: CiteSourceForm) -> bool:
    """Whether anything of a citation was filled in (then the whole of it is checked)."""
    return any(str(form[name].value() or "").strip() for name in form.fields)


def source_named(version: AssessmentVersion, data: dict[str, Any]) -> tuple[Source | None, bool]:
    """The source a valid citation names, and whether it is the version's own found by its
    address or title; (None, False) when a new source is to be made."""
    if data.get("found"):
        return data["found"], False
    found = same_source(version, title=data["title"], url=data.get("url") or "")
    return found, found is not None


def _new_source(version: AssessmentVersion, data: dict[str, Any]) -> Source:
    title = str(data["title"]).strip()
    last = Source.objects.filter(version=version).aggregate(m=Max("position"))["m"]
    return Source.objects.create(
        version=version,
        position=0 if last is None else last + 1,
        key=free_key(Source, version, title),
        title=title,
        kind=str(data["kind"]),
        author=str(data.get("author") or ""),
        date=data.get("date"),
        url=str(data.get("url") or ""),
        reliability=str(data["reliability"]),
        credibility=int(data["credibility"]),
    )


def file_quote(
    version: AssessmentVersion, risk: Risk, data: dict[str, Any], source: Source | None
) -> Source:
    """File the quote under ``risk`` from ``source`` (made from ``data`` when None); call it
    inside a writer change. Returns the source cited."""
    cited = source or _new_source(version, data)
    Evidence.objects.create(
        version=version,
        position=Evidence.objects.filter(
            version=version, subject_kind="risk", subject_id=risk.pk
        ).count(),
        source=cited,
        credibility=data["credibility"],
        quote=data["quote"].strip(),
        note=data.get("where", "").strip(),
        subject_kind="risk",
        subject_id=risk.pk,
    )
    return cited


def reused_message(source: Source) -> str:
    return f"“{source.title}” is already a source here: the quote is filed under it."
