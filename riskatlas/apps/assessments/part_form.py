"""The form every part of a version uses: knows its version, keeps ids unique and fixed.

The apps' own forms (geography, intelligence) build on it; it lives outside ``forms/``, whose
``__init__`` gathers those forms, so they can be imported in any order."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Max, Model
from django.utils.text import slugify

from riskatlas.apps.assessments.form_fields import RevisionMixin
from riskatlas.apps.assessments.models import AssessmentVersion

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class VersionPartForm(RevisionMixin, forms.ModelForm):
    """A ModelForm for a part of ``version``. The identifying field (``key``, ``code``) must
    be unique in the version and cannot change once made: other parts refer to it."""

    id_field: str | None = "key"
    id_pattern: re.Pattern[str] = ID_PATTERN
    id_hint = "lower-case letters, digits and hyphens, e.g. street-crime-lima"

    def __init__(self, *args: Any, version: AssessmentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea) and field.widget.attrs.get("rows") == "10":
                field.widget.attrs["rows"] = 4  # Django's default of 10 rows is too tall here
        if self.id_field and self.id_field in self.fields:
            field = self.fields[self.id_field]
            if self.instance.pk:
                field.disabled = True
                field.help_text = "Fixed: other parts of the assessment refer to it."
            else:
                field.help_text = f"A short id: {self.id_hint}."
        self.add_revision_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name = self.id_field
        if name and name in self.fields and not self.instance.pk:
            value = cleaned.get(name)
            if value and not self.id_pattern.match(value):
                self.add_error(name, f"Use {self.id_hint}.")
            elif value:
                clash = type(self.instance).objects.filter(version=self.version, **{name: value})
                if clash.exists():
                    self.add_error(name, f"This version already has one with the id “{value}”.")
        return cleaned

    def validate_unique(self) -> None:
        # Uniqueness per version is checked in clean(): ``version`` is not a form field.
        pass

    def save(self, commit: bool = True) -> Any:
        part = super().save(commit=False)
        part.version = self.version
        if not part.pk:
            last = type(part).objects.filter(version=self.version).aggregate(m=Max("position"))
            part.position = (last["m"] if last["m"] is not None else -1) + 1
        if commit:
            part.save()
        return part


def free_key(model: type[Model], version: AssessmentVersion, text: str) -> str:
    """An id made from ``text`` (``Kidnap on rural roads`` → ``kidnap-on-rural-roads``) that
    no other part of ``model`` in the version has (``-2``, ``-3``… added when taken)."""
    base = (slugify(text)[:70] or "item").strip("-")
    key, n = base, 2
    while model._default_manager.filter(version=version, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key
