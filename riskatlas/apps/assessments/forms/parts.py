"""Forms for the assessment's own other parts: context, watch items, recommendations and the
version's own mitigations. Areas have theirs in ``apps/geography/forms.py``; sources, actors
and incidents in ``apps/intelligence/forms.py``."""

from __future__ import annotations

import re
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
from riskatlas.apps.assessments.models import (
    Activity,
    ContextSection,
    ExposureGroup,
    Mitigation,
    OfficialAdvice,
    Recommendation,
    Risk,
    Route,
    Site,
    ThreatNarrative,
    WatchItem,
)
from riskatlas.apps.assessments.part_form import VersionPartForm
from riskatlas.apps.geography.forms import area_choices
from riskatlas.apps.geography.models import Place
from riskatlas.document import assessment_schema
from riskatlas.method.mitigations import mitigation_library


class ContextSectionForm(VersionPartForm):
    id_field = None

    class Meta:
        model = ContextSection
        fields = ["topic", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}


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
        self.fields["areas"] = ListChoiceField(choices=area_choices(self.version))
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


class ExposureGroupForm(VersionPartForm):
    id_hint = "lower-case letters, digits and hyphens, e.g. national-staff"

    class Meta:
        model = ExposureGroup
        fields = ["key", "name", "description"]
        labels = {"key": "Id"}


class ThreatNarrativeForm(VersionPartForm):
    """What a category of threat looks like here; one per category (its id)."""

    id_field = "category"
    id_pattern = re.compile(r"^[A-Z]{3}$")
    id_hint = "one of the taxonomy's categories"

    class Meta:
        model = ThreatNarrative
        fields = ["category", "summary", "modus_operandi", "targeting", "trend", "trend_note"]
        labels = {"modus_operandi": "Modus operandi"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        disabled = self.fields["category"].disabled
        self.fields["category"] = forms.ChoiceField(
            choices=category_choices(), label="Threat", disabled=disabled
        )
        trends = assessment_schema()["$defs"]["trend"]["enum"]
        self.fields["trend"] = forms.ChoiceField(
            choices=[("", "—"), *[(t, t.capitalize()) for t in trends]], required=False
        )


class OfficialAdviceForm(VersionPartForm):
    id_field = None

    class Meta:
        model = OfficialAdvice
        fields = ["government", "level", "as_of", "summary", "no_go", "url"]
        labels = {"as_of": "As of", "no_go": "No-go areas", "url": "Address (URL)"}
        widgets = {"as_of": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["government"] = forms.ChoiceField(
            choices=schema_choices("official_advice", "government")
        )
        self.fields["no_go"] = LinesField(
            label="No-go areas", help_text="Where it advises against all travel; one per line."
        )


class ActivityForm(VersionPartForm):
    id_field = None

    class Meta:
        model = Activity
        fields = ["name", "description", "areas"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"] = ListChoiceField(choices=area_choices(self.version))


class SiteForm(VersionPartForm):
    id_field = None

    class Meta:
        model = Site
        fields = ["name", "place", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.filter(version=self.version)


class RouteForm(VersionPartForm):
    id_field = None

    class Meta:
        model = Route
        fields = ["name", "origin", "destination", "description"]
        labels = {"origin": "From", "destination": "To"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = Place.objects.filter(version=self.version)
        self.fields["origin"].queryset = places
        self.fields["destination"].queryset = places
