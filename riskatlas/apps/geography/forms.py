"""The editing page's form for the areas a version covers, and the choice of those areas
that other parts' forms offer."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from riskatlas.apps.assessments.form_fields import (
    LinesField,
    schema_choices,
    security_level_choices,
)
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.part_form import VersionPartForm
from riskatlas.apps.geography.models import AssessmentArea, Place


def area_choices(version: AssessmentVersion) -> list[tuple[str, str]]:
    """The version's areas as choices: code and name."""
    return [(a.code, a.name) for a in AssessmentArea.objects.filter(version=version)]


class AreaForm(VersionPartForm):
    id_field = "code"
    id_pattern = re.compile(r"^([A-Z]{2}(-[A-Z0-9]{1,3})?|[a-z0-9][a-z0-9-]*)$")
    id_hint = "an ISO 3166 code such as PE or PE-LMA, or a lower-case id for a custom area"

    class Meta:
        model = AssessmentArea
        fields = ["code", "name", "parts", "description", "hot_spot", "no_go"]
        fields += ["level_override", "level_reason", "not_assessed_reason"]
        labels = {
            "no_go": "No-go area",
            "level_override": "Security level (override)",
            "not_assessed_reason": "Why it is not assessed",
        }

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
        if cleaned.get("level_override") is not None and cleaned.get("not_assessed_reason"):
            self.add_error(
                "not_assessed_reason",
                "An area with a security level set by hand is assessed; leave this empty.",
            )
        return cleaned


class PlaceForm(VersionPartForm):
    """A named place with coordinates, in one of the version's areas."""

    class Meta:
        model = Place
        fields = ["key", "name", "kind", "area", "spellings", "lat", "lon", "description"]
        labels = {"key": "Id", "lat": "Latitude", "lon": "Longitude"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            choices=schema_choices("place", "kind", blank=True), required=False
        )
        self.fields["area"].queryset = AssessmentArea.objects.filter(version=self.version)
        self.fields["spellings"] = LinesField(label="Other spellings")
        self.fields["lat"].validators.append(_between(-90, 90))
        self.fields["lon"].validators.append(_between(-180, 180))


def _between(low: float, high: float) -> Any:
    def check(value: float | None) -> None:
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(f"Between {low} and {high}.")

    return check
