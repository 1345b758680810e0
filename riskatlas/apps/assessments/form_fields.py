"""Form fields for the list-valued parts of an assessment, and choices from the method data."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from django import forms

from riskatlas.apps.assessments.revisions import Seen, revision, shown
from riskatlas.document import assessment_schema
from riskatlas.method import default_taxonomy, impact_scale, likelihood_scale
from riskatlas.method.levels import security_levels
from riskatlas.method.matrix import Matrix
from riskatlas.reports.advice import GOVERNMENTS

# A browser date picker; its value must be ISO whatever the language of the page.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PARTIAL_DATE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")


class LinesField(forms.CharField):
    """A list of short texts, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "One per line.")
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ListChoiceField(forms.MultipleChoiceField):
    """A list of ids picked from the version's own areas, actors, groups…; shown as boxes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)


#: Choices not named by their value with a capital: governments by name, "NGO".
CHOICE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("official_advice", "government"): GOVERNMENTS,
    ("source", "kind"): {"ngo": "NGO"},
}


def schema_choices(definition: str, field: str, blank: bool = False) -> list[tuple[str, str]]:
    """The allowed values of a field of the interchange format, as choices."""
    values = assessment_schema()["$defs"][definition]["properties"][field]["enum"]
    named = CHOICE_LABELS.get((definition, field), {})
    choices = [
        (v, named.get(v) or v.replace("-", " ").replace("_", " ").capitalize()) for v in values
    ]
    return [("", "—"), *choices] if blank else choices


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} · {c.name}") for c in default_taxonomy().categories]


def security_level_choices() -> list[tuple[str, str]]:
    return [("", "— follows the risks —")] + [
        (str(lv.value), f"{lv.value} · {lv.name}") for lv in security_levels()
    ]


def rating_choices(matrix: Matrix, which: str, blank: bool = False) -> list[tuple[int | str, str]]:
    """Likelihood or impact values of the version's matrix, with the scale's words."""
    scale = likelihood_scale() if which == "likelihood" else impact_scale()
    values = matrix.likelihood_values if which == "likelihood" else matrix.impact_values
    choices: list[tuple[int | str, str]] = []
    for value in values:
        try:
            choices.append((value, scale.describe(value)))
        except ValueError:
            choices.append((value, str(value)))
    return [("", "—"), *choices] if blank else choices


def validate_partial_date(value: str) -> None:
    if value and not PARTIAL_DATE.match(value):
        raise forms.ValidationError("Write the date as YYYY, YYYY-MM or YYYY-MM-DD.")


class RatingField(forms.TypedChoiceField):
    """A likelihood or impact offered from the matrix's values. A whole number off the scale is
    left to the single writer's document checks, so the page refuses it with the same message
    as the API and the imports."""

    def valid_value(self, value: Any) -> bool:
        try:
            int(value)
        except (TypeError, ValueError):
            return False
        return True


class RevisionMixin:
    """A hidden ``revision`` field: the revision of the row the form was opened on, sent back
    with the form so the single writer can refuse the save if someone changed the row since
    (``seen``). ``revision_fields`` limits the revision to the fields the form edits.

    A hidden ``opened`` field carries a fingerprint of each field's value as the form was
    opened (``fingerprints``), so that a refused save can tell the fields the editor changed
    from those someone else changed meanwhile (``forms.refusals.show_clash``)."""

    revision_fields: Sequence[str] | None = None

    def add_revision_field(self) -> None:
        form: Any = self
        instance = form.instance
        form.fields["revision"] = forms.CharField(
            widget=forms.HiddenInput,
            required=False,
            initial=revision(instance, self.revision_fields) if instance.pk else "",
        )
        form.fields["opened"] = forms.CharField(
            widget=forms.HiddenInput,
            required=False,
            initial=json.dumps(self.fingerprints(instance)) if instance.pk else "",
        )

    def edited_fields(self) -> list[str]:
        """The form's fields that edit an attribute of the row of the same name."""
        form: Any = self
        return [
            name
            for name, field in form.fields.items()
            if name not in ("revision", "opened")
            and not field.disabled
            and hasattr(form.instance, name)
        ]

    def fingerprints(self, row: Any) -> dict[str, str]:
        """Each edited field's value in ``row`` as a short digest (``fingerprint``)."""
        return {name: fingerprint(getattr(row, name)) for name in self.edited_fields()}

    def opened(self) -> dict[str, str]:
        """The fingerprints the form was opened with; empty when it carries none."""
        form: Any = self
        try:
            found = json.loads(form.data.get(form.add_prefix("opened")) or "{}")
        except ValueError:
            return {}
        return found if isinstance(found, dict) else {}

    def seen(self) -> Seen | None:
        """What the editor saw, or None for a new row (or a client that sent no revision)."""
        form: Any = self
        value = form.cleaned_data.get("revision") if hasattr(form, "cleaned_data") else None
        if not value or not form.instance.pk:
            return None
        return Seen(form.instance, value, self.revision_fields)

    def take_current(self, current: str, stored: Any = None) -> None:
        """Carry ``current`` in the hidden field, and the ``stored`` row's fingerprints as
        what the form was opened on: saving again overwrites knowingly."""
        form: Any = self
        form.data = form.data.copy()
        form.data[form.add_prefix("revision")] = current
        if stored is not None:
            form.data[form.add_prefix("opened")] = json.dumps(self.fingerprints(stored))

    def hold(self, name: str, value: Any) -> bool:
        """Put a stored ``value`` in field ``name`` as the browser would send it; False (and
        the form's data left as it was) when it does not read back as the same value."""
        form: Any = self
        field, key = form.fields[name], form.add_prefix(name)
        before = form.data.copy()
        data = form.data.copy()
        prepared = field.prepare_value(value)
        if isinstance(field.widget, forms.CheckboxInput):
            data.setlist(key, ["on"] if prepared else [])
        elif isinstance(prepared, list | tuple):
            data.setlist(key, [str(v) for v in prepared])
        else:
            data[key] = "" if prepared is None else str(prepared)
        try:
            read = field.clean(field.widget.value_from_datadict(data, form.files, key))
        except forms.ValidationError:
            read = None
        if fingerprint(read) != fingerprint(value):
            form.data = before
            return False
        form.data = data
        return True


def fingerprint(value: Any) -> str:
    """A short digest of a value as a person reads it (``shown``), line ends and outer
    spaces aside, so that a stored value and the same value sent back by a form agree."""
    text = "\n".join(line.rstrip() for line in shown(value).strip().splitlines())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
