"""Starting a new assessment (web page and API): the document is built by
``riskatlas.document.starting`` from the team's template or another assessment, then stored
through the writer's ``import_document``, so every check applies and nothing is half made."""

from __future__ import annotations

import datetime as dt

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.interchange.importing import ImportResult
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion
from riskatlas.apps.assessments.models.templates import template_of
from riskatlas.document.starting import (
    CustomArea,
    NewAssessment,
    StartProblem,
    from_assessment,
    from_template,
)
from riskatlas.geography import iso_area

# What a document problem's first step names on the form.
FIELDS = {"areas": "areas", "sources": "source", "risks": "source", "matrix": "source"}
META = {"slug", "title", "country", "scope", "as_of", "review_by"}


def free_slug(country: str, year: int) -> str:
    """``co-2026``, or ``co-2026-2`` when that is taken."""
    base = f"{country.lower()}-{year}"
    slug, n = base, 1
    while Assessment.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def start_assessment(
    team: Team,
    new: NewAssessment,
    *,
    source: AssessmentVersion | None = None,
    full_copy: bool = False,
    with_risks: bool = False,
) -> ImportResult:
    """Make the new draft, version 1, for ``team``; ``StartProblem`` (by field) when the
    details or the resulting document are wrong: then nothing was made."""
    if Assessment.objects.filter(slug=new.slug).exists():
        raise StartProblem({"slug": [f"“{new.slug}” is taken: choose another id"]})
    if source is None:
        doc = from_template(new, template_of(team))
    else:
        doc = from_assessment(
            new, export_version(source), full_copy=full_copy, with_risks=with_risks
        )
    try:
        return writer.import_document(doc, team=team)
    except writer.ChangeRefused as refused:
        problems: dict[str, list[str]] = {}
        for problem in refused.problems:
            head = str(problem.path[0]) if problem.path else ""
            key = FIELDS.get(head, "__all__")
            if head == "assessment" and len(problem.path) > 1 and problem.path[1] in META:
                key = str(problem.path[1])
            problems.setdefault(key, []).append(writer.describe(problem))
        raise StartProblem(problems) from refused


def proposed_scope(
    country: str, areas: list[str], custom_areas: list[CustomArea] | tuple[()] = ()
) -> str:
    """The scope of a draft whose scope was left blank, from what was chosen: "Staff and
    operations in Antioquia, Cauca and Nariño (Colombia)", or "… in Colombia" when no region
    is ticked (the form and the API say so beside the field)."""
    nation = iso_area(country)
    country_name = nation.name if nation else country
    names = [a.name for a in (iso_area(code) for code in areas) if a is not None]
    names += [c.name for c in custom_areas]
    if not names:
        return f"Staff and operations in {country_name}"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Staff and operations in {listed} ({country_name})"


def review_date(as_of: dt.date) -> dt.date:
    """Six months after ``as_of``: when a new assessment is due for review unless said."""
    return as_of + dt.timedelta(days=182)
