"""Forms for the assessment's own other parts: context, watch items, recommendations and the
version's own mitigations. Areas have theirs in ``apps/geography/forms.py``; sources, actors
and incidents in ``apps/intelligence/forms.py``."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from riskatlas.apps.assessments.form_fields import (
    LinesField,
    ListChoiceField,
    category_choices,
    schema_choices,
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
from riskatlas.apps.assessments.part_form import VersionPartForm
from riskatlas.apps.geography.forms import area_choices
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
