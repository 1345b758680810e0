"""The form that uploads an events file to import into the evidence store."""

from __future__ import annotations

from django import forms

from riskatlas.apps.jobs.importing import EVENT_FILES, SCOPES


class EventsFileForm(forms.Form):
    source = forms.ChoiceField(label="Source", choices=list(EVENT_FILES.items()))
    file = forms.FileField(
        label="Events file",
        help_text="The file as the source exports it; re-importing a file adds nothing twice.",
    )
    scope = forms.ChoiceField(
        label="What the file covers",
        choices=list(SCOPES.items()),
        required=False,
        widget=forms.RadioSelect,
        help_text="A likelihood is suggested only from a full extract.",
    )
