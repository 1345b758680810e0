from typing import Any

from django import forms
from django.contrib import admin

from riskatlas.apps.accounts.models import Membership, Team
from riskatlas.method.gates import publication_gates


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


class TeamForm(forms.ModelForm):
    """The team's publication settings: gates switched off are ticked, by name."""

    gates_off = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Publication gates switched off",
        help_text="Approving and publishing refuse a version that fails a gate that is on.",
    )

    class Meta:
        model = Team
        fields = ["name", "slug", "four_eyes", "gates_off"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["gates_off"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(g.code, f"{g.name} ({g.code})") for g in publication_gates()]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamForm
    list_display = ("name", "slug", "four_eyes")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]
