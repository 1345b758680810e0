"""Forms for the other parts of a version: context, actors, incidents, sources, watch items,
areas, recommendations and the version's own mitigations."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from riskatlas.apps.assessments.forms.base import VersionPartForm
from riskatlas.apps.assessments.forms.fields import (
    DATE,
    LinesField,
    ListChoiceField,
    category_choices,
    schema_choices,
    security_level_choices,
    validate_partial_date,
)
from riskatlas.apps.assessments.models import (
    ContextSection,
    ExposureGroup,
    Mitigation,
    Recommendation,
    Risk,
    WatchItem,
)
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, Incident, Source
from riskatlas.method.mitigations import mitigation_library

CREDIBILITY_CHOICES = [
    (1, "1 – confirmed"),
    (2, "2 – probably true"),
    (3, "3 – possibly true"),
    (4, "4 – doubtful"),
    (5, "5 – improbable"),
    (6, "6 – truth cannot be judged"),
]


def _area_choices(form: VersionPartForm) -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in AssessmentArea.objects.filter(version=form.version)]


class ContextSectionForm(VersionPartForm):
    id_field = None

    class Meta:
        model = ContextSection
        fields = ["topic", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}


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
        self.fields["credibility"] = forms.TypedChoiceField(
            choices=CREDIBILITY_CHOICES, coerce=int, label="Credibility (Admiralty 1–6)"
        )
        self.fields["reliability"].label = "Reliability (Admiralty A–F)"


class AreaForm(VersionPartForm):
    id_field = "code"
    id_pattern = re.compile(r"^([A-Z]{2}(-[A-Z0-9]{1,3})?|[a-z0-9][a-z0-9-]*)$")
    id_hint = "an ISO 3166 code such as PE or PE-LMA, or a lower-case id for a custom area"

    class Meta:
        model = AssessmentArea
        fields = ["code", "name", "parts", "description", "hot_spot", "no_go"]
        fields += ["level_override", "level_reason"]
        labels = {"no_go": "No-go area", "level_override": "Security level (override)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parts"] = LinesField(
            label="Made of (ISO codes)", help_text="For a custom area: one ISO code per line."
        )
        self.fields["level_override"] = forms.TypedChoiceField(
            choices=security_level_choices(),
            coerce=int,
            required=False,
            empty_value=None,
            label="Security level (override)",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        iso = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
        bad = [p for p in cleaned.get("parts") or [] if not iso.match(p)]
        if bad:
            self.add_error("parts", f"Not ISO 3166 codes: {', '.join(bad)}.")
        if cleaned.get("level_override") is not None and not cleaned.get("level_reason"):
            self.add_error("level_reason", "Say why the level differs from the risks.")
        return cleaned


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
        self.fields["areas"] = ListChoiceField(choices=_area_choices(self))
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


class WatchItemForm(VersionPartForm):
    class Meta:
        model = WatchItem
        fields = ["key", "title", "kind", "date", "description", "areas", "categories"]
        fields += ["triggers"]
        labels = {"key": "Id"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            choices=schema_choices("watch_item", "kind", blank=True), required=False
        )
        self.fields["date"].validators.append(validate_partial_date)
        self.fields["date"].help_text = "YYYY, YYYY-MM or YYYY-MM-DD"
        self.fields["areas"] = ListChoiceField(choices=_area_choices(self))
        self.fields["categories"] = ListChoiceField(choices=category_choices())
        self.fields["triggers"] = LinesField(
            required=True,
            help_text="What would make you review the assessment; one per line.",
        )


class RecommendationForm(VersionPartForm):
    class Meta:
        model = Recommendation
        fields = ["key", "text", "priority", "mitigation", "risks", "applies_to"]
        labels = {"key": "Id", "applies_to": "Applies to"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = {m.code: m.name for m in Mitigation.objects.filter(version=self.version)}
        library = {m.code: m.name for m in mitigation_library() if m.code not in own}
        self.fields["mitigation"] = forms.ChoiceField(
            required=False,
            choices=[
                ("", "—"),
                ("This assessment", sorted(own.items())),
                ("Library", sorted(library.items())),
            ],
        )
        self.fields["risks"] = ListChoiceField(
            choices=[(r.key, r.title) for r in Risk.objects.filter(version=self.version)]
        )
        self.fields["applies_to"] = ListChoiceField(
            choices=[(g.key, g.name) for g in ExposureGroup.objects.filter(version=self.version)]
        )


class MitigationForm(VersionPartForm):
    id_field = "code"
    id_pattern = re.compile(r"^[A-Z][A-Z0-9-]*$")
    id_hint = "capitals, digits and hyphens, e.g. MOV-SECURE-TAXI"

    class Meta:
        model = Mitigation
        fields = ["code", "name", "domain", "description", "threats"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"] = forms.ChoiceField(choices=schema_choices("mitigation", "domain"))
        self.fields["threats"] = ListChoiceField(choices=category_choices())
