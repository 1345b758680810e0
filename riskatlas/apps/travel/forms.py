"""The travel pages' forms: a trip and its segments, a traveller, an import, the policy text
and an approver role. Trips from a form become a trip-file dict and go through the same checks
and the same door (``interchange.save_trip``) as an imported file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from riskatlas.apps.travel.deciding import policy_of
from riskatlas.apps.travel.models import SEGMENT_FIELDS, Segment, Traveller, Trip
from riskatlas.geography import is_iso_code
from riskatlas.travel.policy import course_names

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # as a date input reads it
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TripForm(forms.Form):
    slug = forms.SlugField(
        label="Trip id",
        max_length=80,
        help_text="Lower-case letters, digits and hyphens (peru-andahuaylas).",
    )
    title = forms.CharField(max_length=300)
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    essential = forms.BooleanField(
        required=False, help_text="Programme-critical or life-saving travel."
    )
    travellers = forms.ModelMultipleChoiceField(
        queryset=Traveller.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, team: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        travellers = self.fields["travellers"]
        assert isinstance(travellers, forms.ModelMultipleChoiceField)
        travellers.queryset = Traveller.objects.filter(team=team)
        if editing:
            self.fields["slug"].disabled = True

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"].lower()
        return slug


class SegmentForm(forms.ModelForm):
    via = forms.CharField(
        required=False,
        help_text="ISO codes of the areas crossed on the way, separated by spaces.",
    )

    class Meta:
        model = Segment
        fields = list(SEGMENT_FIELDS)
        widgets = {
            "start": DATE,
            "end": DATE,
            "departs": TIME,
            "arrives": TIME,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["via"] = " ".join(self.instance.via or [])

    def clean_via(self) -> list[str]:
        codes = [c.strip().upper() for c in self.cleaned_data["via"].replace(",", " ").split()]
        bad = [c for c in codes if not is_iso_code(c)]
        if bad:
            raise forms.ValidationError(f"not ISO 3166 codes: {', '.join(bad)}")
        return codes

    def clean_area(self) -> str:
        area: str = self.cleaned_data["area"].strip().upper()
        if area and not is_iso_code(area):
            raise forms.ValidationError(f"{area!r} is not an ISO 3166 code such as PE-LMA")
        return area


SegmentFormSet = forms.inlineformset_factory(
    Trip, Segment, form=SegmentForm, extra=1, can_delete=True, min_num=1, validate_min=True
)


def segment_from_form(cd: dict[str, Any]) -> dict[str, Any]:
    """A segment form's cleaned data as a trip-file segment."""
    entry: dict[str, Any] = {
        "place": cd["place"],
        "start": cd["start"].isoformat(),
        "end": cd["end"].isoformat(),
        "transport": cd["transport"],
        "night_travel": bool(cd.get("night_travel")),
        "via": cd.get("via") or [],
    }
    if cd.get("area"):
        entry["area"] = cd["area"]
    if cd.get("lat") is not None and cd.get("lon") is not None:
        entry["lat"], entry["lon"] = cd["lat"], cd["lon"]
    for name in ("departs", "arrives"):
        if cd.get(name) is not None:
            entry[name] = cd[name].strftime("%H:%M")
    for name in ("accommodation", "note"):
        if cd.get(name):
            entry[name] = cd[name]
    return entry


class TravellerForm(forms.ModelForm):
    training_text = forms.CharField(
        label="Training done",
        required=False,
        help_text="Training ids, separated by spaces (basic-security specialised-awareness).",
    )

    class Meta:
        model = Traveller
        fields = [
            "key",
            "name",
            "user",
            "staff",
            "group",
            "role",
            "experience",
            "email",
            "phone",
            "emergency_name",
            "emergency_phone",
            "emergency_relation",
        ]
        labels = {"key": "Traveller id", "user": "Their account"}

    def __init__(self, *args: Any, team: Any, personal: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = get_user_model().objects.filter(memberships__team=team).order_by("username")
        user.required = False
        self.instance.team = team
        if not personal:  # the contact details are neither shown nor changed
            for name in Traveller.PERSONAL_FIELDS:
                del self.fields[name]
        if not self.is_bound:
            self.initial["training_text"] = " ".join(self.instance.training or [])
        if courses := course_names(policy_of(team)):
            self.fields["training_text"].help_text = (
                "Course ids, separated by spaces. The team's policy asks for: "
                + "; ".join(f"{key} ({name})" for key, name in courses.items())
                + "."
            )

    def clean_training_text(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["training_text"].split() if t.strip()]

    def save(self, commit: bool = True) -> Traveller:
        self.instance.training = self.cleaned_data["training_text"]
        traveller: Traveller = super().save(commit)
        return traveller


KINDS = {".yaml": "trip file", ".yml": "trip file", ".ics": "iCalendar", ".csv": "CSV"}


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A trip file (TRIP.yaml), or an itinerary as iCalendar (.ics) or CSV (.csv)."
    )
    slug = forms.SlugField(
        label="Trip id", max_length=80, required=False, help_text="For an .ics or .csv file."
    )
    title = forms.CharField(max_length=300, required=False, help_text="For an .ics or .csv file.")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    travellers = forms.ModelMultipleChoiceField(
        queryset=Traveller.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="For an .ics or .csv file.",
    )

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        travellers = self.fields["travellers"]
        assert isinstance(travellers, forms.ModelMultipleChoiceField)
        travellers.queryset = Traveller.objects.filter(team=team)

    def kind(self) -> str:
        name = self.cleaned_data["file"].name.lower()
        return next((k for suffix, k in KINDS.items() if name.endswith(suffix)), "")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if "file" not in cleaned:
            return cleaned
        kind = self.kind()
        if not kind:
            self.add_error("file", "give a .yaml, .ics or .csv file")
        elif kind != "trip file":
            for name in ("slug", "title", "travellers"):
                if not cleaned.get(name):
                    self.add_error(name, f"an itinerary ({kind}) needs this")
        return cleaned


class PolicyForm(forms.Form):
    text = forms.CharField(
        label="Policy (YAML)",
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
    )


class ApproverRoleForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    role = forms.ChoiceField(choices=())

    def __init__(self, *args: Any, team: Any, approvers: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = get_user_model().objects.filter(memberships__team=team).order_by("username")
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(a["id"], a["name"]) for a in approvers]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=())
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    conditions = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from riskatlas.apps.travel.models import Approval

        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        # Nothing chosen at first: a decision is taken, never sent by default.
        decision.choices = [("", "Choose…"), *Approval.Decision.choices]
