"""The editing page's forms for sources, actors and incidents."""

from __future__ import annotations

from typing import Any

from django import forms

from riskatlas.apps.assessments.form_fields import (
    DATE,
    LinesField,
    ListChoiceField,
    category_choices,
    schema_choices,
    validate_partial_date,
)
from riskatlas.apps.assessments.part_form import VersionPartForm
from riskatlas.apps.geography.forms import area_choices
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, Incident, Source

CREDIBILITY_CHOICES = [
    (1, "1 – confirmed"),
    (2, "2 – probably true"),
    (3, "3 – possibly true"),
    (4, "4 – doubtful"),
    (5, "5 – improbable"),
    (6, "6 – truth cannot be judged"),
]


def grade_choices() -> list[tuple[str, str]]:
    """The 36 Admiralty grades as one choice ("B2 — usually reliable, probably true"),
    after a blank one: no grade is chosen for the analyst."""
    out: list[tuple[str, str]] = [("", "— choose —")]
    for letter, reliability in Source.Reliability.choices:
        for number, credibility in CREDIBILITY_CHOICES:
            words = f"{str(reliability).split(' – ')[1]}, {credibility.split(' – ')[1]}"
            out.append((f"{letter}{number}", f"{letter}{number} — {words}"))
    return out


class SourceForm(VersionPartForm):
    class Meta:
        model = Source
        fields = ["key", "title", "kind", "author", "date", "url", "reliability", "credibility"]
        fields += ["note"]
        labels = {"key": "Id", "url": "Address (URL)"}
        widgets = {"date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(choices=schema_choices("source", "kind"))
        # No grade by default: the analyst chooses both (6 says the truth cannot be judged).
        self.fields["credibility"] = forms.TypedChoiceField(
            choices=[("", "— choose —"), *CREDIBILITY_CHOICES],
            coerce=int,
            label="Credibility (Admiralty 1–6)",
        )
        self.fields["reliability"] = forms.ChoiceField(
            choices=[("", "— choose —"), *Source.Reliability.choices],
            label="Reliability (Admiralty A–F)",
        )


class ActorForm(VersionPartForm):
    class Meta:
        model = Actor
        fields = ["key", "name", "aliases", "type", "status", "description"]
        fields += ["strength_estimate", "strength_fighters", "strength_as_of", "strength_source"]
        fields += ["strength_credibility", "areas", "categories"]
        labels = {"key": "Id", "strength_fighters": "Fighters (number)"}
        widgets = {"strength_as_of": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aliases"] = LinesField(label="Other names")
        self.fields["type"] = forms.ChoiceField(choices=schema_choices("actor", "type"))
        self.fields["status"] = forms.ChoiceField(
            choices=schema_choices("actor", "status", blank=True), required=False
        )
        self.fields["strength_source"].queryset = Source.objects.filter(version=self.version)
        self.fields["strength_credibility"] = forms.TypedChoiceField(
            choices=[("", "—"), *CREDIBILITY_CHOICES],
            coerce=int,
            required=False,
            empty_value=None,
        )
        self.fields["areas"] = ListChoiceField(choices=area_choices(self.version))
        self.fields["categories"] = ListChoiceField(choices=category_choices())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        details = ("strength_fighters", "strength_as_of", "strength_source")
        if not cleaned.get("strength_estimate") and any(cleaned.get(f) for f in details):
            self.add_error("strength_estimate", "Describe the strength estimate in words too.")
        return cleaned


class IncidentForm(VersionPartForm):
    class Meta:
        model = Incident
        fields = ["key", "title", "date", "place", "area", "categories", "actors"]
        fields += ["killed", "injured", "abducted", "description"]
        labels = {"key": "Id"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].validators.append(validate_partial_date)
        self.fields["date"].help_text = "YYYY, YYYY-MM or YYYY-MM-DD"
        self.fields["place"].queryset = Place.objects.filter(version=self.version)
        self.fields["area"].queryset = AssessmentArea.objects.filter(version=self.version)
        self.fields["categories"] = ListChoiceField(choices=category_choices(), required=True)
        self.fields["actors"] = ListChoiceField(
            choices=[(a.key, a.name) for a in Actor.objects.filter(version=self.version)]
        )


class CiteSourceForm(forms.Form):
    """A source cited on a part: one of the version's sources, or a new one described here;
    the quote, where it is (page or address) and the grade, which the analyst must choose."""

    source = forms.ChoiceField(required=False, label="Source")
    title = forms.CharField(required=False, max_length=300, label="New source: title")
    url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="New source: address (URL)"
    )
    author = forms.CharField(required=False, max_length=200, label="New source: publisher")
    date = forms.DateField(required=False, widget=DATE, label="New source: date")
    kind = forms.ChoiceField(required=False, label="New source: kind")
    grade = forms.ChoiceField(
        choices=grade_choices,
        label="Grade (Admiralty)",
        help_text="The source's reliability (A–F) and this item's credibility (1–6), in one "
        "choice; no default: F6 when neither can be judged. A listed source keeps its letter.",
    )
    quote = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Quote")
    where = forms.CharField(
        required=False, max_length=300, label="Page or address", help_text="e.g. p. 12"
    )

    def __init__(self, *args: Any, version: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["source"].choices = [
            ("", "— a new source, described below —"),
            *[(str(s.pk), str(s)) for s in Source.objects.filter(version=version)],
        ]
        self.fields["kind"].choices = [("", "— choose —"), *schema_choices("source", "kind")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        grade = str(cleaned.get("grade") or "")
        if grade:  # one choice, both letters of the code
            cleaned["reliability"], cleaned["credibility"] = grade[0], int(grade[1:])
        if cleaned.get("source"):
            found = Source.objects.filter(version=self.version, pk=cleaned["source"]).first()
            if found is None:
                self.add_error("source", "That source is not in this version.")
            elif grade and grade[0] != found.reliability:
                letter = found.reliability
                self.add_error(
                    "grade",
                    f"“{found.title}” is graded {letter} (its reliability): "
                    f"choose {letter}1 to {letter}6.",
                )
            cleaned["found"] = found
            return cleaned
        for name in ("title", "kind"):
            if not cleaned.get(name):
                self.add_error(name, "A new source needs this.")
        return cleaned
