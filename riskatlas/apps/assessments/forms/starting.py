"""The new-assessment form: team, country, the country's subdivisions to tick, custom areas,
the details, and what the draft starts from (the team's template or another assessment)."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

import pycountry
import yaml
from django import forms

from riskatlas.apps.accounts.models import Role, Team
from riskatlas.apps.accounts.permissions import can, teams_of
from riskatlas.apps.assessments.form_fields import DATE
from riskatlas.apps.assessments.models import Assessment, ContextSection
from riskatlas.apps.assessments.starting import proposed_scope
from riskatlas.document.starting import (
    NewAssessment,
    Template,
    matrix_problems,
    read_custom_areas,
)
from riskatlas.geography import iso_area, subdivisions_of

TEMPLATE, TEMPLATE_OF, COPY_OF = "template", "assessment", "copy"
TOPICS = [value for value, _ in ContextSection.Topic.choices]
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@cache
def country_choices() -> list[tuple[str, str]]:
    """Every ISO 3166-1 country, by name (the select finds one as its name is typed)."""
    names = []
    for country in pycountry.countries:
        area = iso_area(country.alpha_2)
        names.append((country.alpha_2, f"{area.name if area else country.name}"))
    return [("", "— choose a country —"), *sorted(names, key=lambda c: c[1])]


def analyst_teams(user: Any) -> Any:
    return Team.objects.filter(pk__in=[t.pk for t in teams_of(user) if can(user, t, Role.ANALYST)])


class CountryForm(forms.Form):
    country = forms.ChoiceField(choices=country_choices, label="Country")


class NewAssessmentForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label="Team")
    country = forms.ChoiceField(choices=country_choices, widget=forms.HiddenInput)
    areas = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),  # even columns
        label="Areas",
        help_text="The country itself is always an area; tick the regions you assess.",
    )
    custom_areas = forms.CharField(
        required=False,
        label="Custom areas",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "VRAEM: PE-AYA, PE-CUS, PE-JUN"}),
        help_text="One a line: a name, a colon, and the codes of the regions it is made of.",
    )
    title = forms.CharField(max_length=300, label="Title")
    slug = forms.CharField(
        max_length=80, label="Id", help_text="Lower-case letters, digits and hyphens."
    )
    scope = forms.CharField(
        required=False,
        label="Scope",
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "Staff and operations in the regions ticked"}
        ),
        help_text="Left blank: “Staff and operations in” the regions ticked, and the "
        "country (or the country alone when none is ticked). Edit it later in the details.",
    )
    author = forms.CharField(max_length=200, label="Author")
    as_of = forms.DateField(label="As of", widget=DATE)
    review_by = forms.DateField(label="Review by", widget=DATE, required=False)
    start = forms.ChoiceField(
        label="Start from",
        widget=forms.RadioSelect,
        initial=TEMPLATE,
        choices=[
            (TEMPLATE, "The team's template (exposure groups, sections, matrix)"),
            (
                TEMPLATE_OF,
                "Another assessment, as a template (its groups, sections, matrix and measures)",
            ),
            (COPY_OF, "A full copy of another assessment of the same country"),
        ],
    )
    source = forms.ChoiceField(required=False, label="Assessment to start from")
    with_risks = forms.BooleanField(
        required=False, label="Copy its risks too (as a template; for the whole country)"
    )
    with_context = forms.BooleanField(
        required=False,
        initial=True,
        label="Context sections to write (each says what to cover; publication needs each "
        "written or deleted)",
    )

    def __init__(self, *args: Any, user: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = analyst_teams(user)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()
            self.fields["team"].widget = forms.HiddenInput()
            self.fields["team"].required = False
        self.only_team = teams.first() if teams.count() == 1 else None
        self.fields["country"].initial = country
        regions = list(subdivisions_of(country))
        self.fields["areas"].choices = [(a.code, f"{a.name} ({a.code})") for a in regions]
        if country != "PE":  # the example in the country's own codes, not Peru's VRAEM
            example = ", ".join(a.code for a in regions[:2])
            placeholder = f"A name: {example}" if example else ""
            self.fields["custom_areas"].widget.attrs["placeholder"] = placeholder
        self.fields["source"].choices = [
            ("", "—"),
            *[
                (a.slug, f"{a.slug} ({a.country})")
                for a in Assessment.objects.filter(team__in=teams).order_by("slug")
            ],
        ]

    def clean_team(self) -> Any:
        return self.cleaned_data.get("team") or self.only_team

    def clean_custom_areas(self) -> Any:
        areas, problems = read_custom_areas(self.cleaned_data.get("custom_areas") or "")
        if problems:
            raise forms.ValidationError(problems)
        return areas

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("start") in (TEMPLATE_OF, COPY_OF) and not cleaned.get("source"):
            self.add_error("source", "Choose the assessment to start from.")
        return cleaned

    def new_assessment(self) -> NewAssessment:
        data = self.cleaned_data
        review_by: dt.date | None = data.get("review_by")
        return NewAssessment(
            slug=data["slug"],
            title=data["title"],
            country=data["country"],
            scope=data.get("scope", "").strip()
            or proposed_scope(
                data["country"], list(data.get("areas") or []), data.get("custom_areas") or []
            ),
            author=data["author"],
            as_of=data["as_of"].isoformat(),
            review_by=review_by.isoformat() if review_by else "",
            areas=list(data.get("areas") or []),
            custom_areas=list(data.get("custom_areas") or []),
            with_context=bool(data.get("with_context")),
        )


class TeamTemplateForm(forms.Form):
    """A team's template as its admins edit it: groups and sections one a line, the matrix
    as YAML (the interchange format's ``matrix``)."""

    exposure_groups = forms.CharField(
        required=False,
        label="Exposure groups",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line: an id, a colon and the name (national-staff: National staff).",
    )
    context = forms.CharField(
        required=False,
        label="Context sections",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One a line: the topic, the title and, after a second colon, what to cover "
        "(political: Politics: government, elections). Topics: " + ", ".join(TOPICS) + ".",
    )
    matrix = forms.CharField(
        label="Matrix (YAML)",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="Levels with names and colours, and the grid; as in an assessment file.",
    )

    @staticmethod
    def initial_from(template: Template) -> dict[str, str]:
        return {
            "exposure_groups": "\n".join(
                f"{g['id']}: {g['name']}" for g in template.exposure_groups
            ),
            "context": "\n".join(
                f"{c['topic']}: {c['title']}: {c['text']}" for c in template.context
            ),
            "matrix": yaml.safe_dump(template.matrix, sort_keys=False, allow_unicode=True),
        }

    def clean_exposure_groups(self) -> list[dict[str, str]]:
        groups, problems, seen = [], [], set()
        for n, line in enumerate(self.cleaned_data["exposure_groups"].splitlines(), 1):
            if not line.strip():
                continue
            key, colon, name = (s.strip() for s in line.partition(":"))
            if not colon or not name:
                problems.append(f"line {n}: write the id, a colon and the name")
            elif not ID.match(key):
                problems.append(f"line {n}: the id {key!r} takes lower-case letters, digits, -")
            elif key in seen:
                problems.append(f"line {n}: the id {key!r} is used twice")
            else:
                seen.add(key)
                groups.append({"id": key, "name": name})
        if problems:
            raise forms.ValidationError(problems)
        return groups

    def clean_context(self) -> list[dict[str, str]]:
        sections, problems = [], []
        for n, line in enumerate(self.cleaned_data["context"].splitlines(), 1):
            if not line.strip():
                continue
            topic, _, rest = (s.strip() for s in line.partition(":"))
            title, _, text = (s.strip() for s in rest.partition(":"))
            if topic not in TOPICS:
                problems.append(f"line {n}: {topic!r} is not a topic ({', '.join(TOPICS)})")
            elif not title:
                problems.append(f"line {n}: write the topic, a colon and the title")
            else:
                sections.append({"topic": topic, "title": title, "text": text or "To write."})
        if problems:
            raise forms.ValidationError(problems)
        return sections

    def clean_matrix(self) -> dict[str, Any]:
        try:
            data = yaml.safe_load(self.cleaned_data["matrix"])
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            raise forms.ValidationError(f"{where}not readable as YAML") from exc
        problems = matrix_problems(data)
        if problems:
            raise forms.ValidationError(problems)
        return dict(data)
