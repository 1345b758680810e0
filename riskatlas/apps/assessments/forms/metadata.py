"""The version's metadata: title, scope, summary, dates, author."""

from __future__ import annotations

from typing import Any

from django import forms

from riskatlas.apps.assessments.form_fields import DATE, RevisionMixin
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.document import assessment_schema


class MetadataForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = AssessmentVersion
        fields = [
            "title",
            "scope",
            "summary",
            "as_of",
            "review_by",
            "field_visit_start",
            "field_visit_end",
            "field_visit_note",
            "author_name",
            "author_organisation",
            "likelihood_period",
            "risk_appetite",
            "provenance",
            "trend",
            "trend_note",
        ]
        labels = {
            "as_of": "As of",
            "review_by": "Review by",
            "field_visit_start": "Field visit from",
            "field_visit_end": "Field visit to",
            "summary": "Executive summary",
            "provenance": "Whose is what",
        }
        widgets = {
            "as_of": DATE,
            "review_by": DATE,
            "field_visit_start": DATE,
            "field_visit_end": DATE,
            "scope": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 8}),
            "field_visit_note": forms.Textarea(attrs={"rows": 2}),
            "risk_appetite": forms.Textarea(attrs={"rows": 2}),
            "provenance": forms.Textarea(attrs={"rows": 3}),
            "trend_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trend"] = forms.ChoiceField(
            choices=[("", "—"), *[(t, t.capitalize()) for t in _trend_values()]],
            required=False,
        )
        self.fields["review_by"].help_text = "When the assessment must be looked at again."
        self.revision_fields = list(self._meta.fields or [])
        self.add_revision_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("field_visit_start"), cleaned.get("field_visit_end")
        if (start is None) != (end is None):
            self.add_error(
                "field_visit_end" if end is None else "field_visit_start",
                "Give both dates of the field visit, or neither.",
            )
        elif start and end and end < start:
            self.add_error("field_visit_end", "The visit cannot end before it starts.")
        as_of, review_by = cleaned.get("as_of"), cleaned.get("review_by")
        if as_of and review_by and review_by < as_of:
            self.add_error("review_by", "The review date cannot be before the as-of date.")
        return cleaned


def _trend_values() -> list[str]:
    values: list[str] = assessment_schema()["$defs"]["trend"]["enum"]
    return values
