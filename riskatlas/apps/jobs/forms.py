"""The form that uploads an events file to import into the evidence store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms

from riskatlas.apps.jobs.importing import EVENT_FILES, SCOPES, too_large, upload_limit_mb


class EventsFileForm(forms.Form):
    source = forms.ChoiceField(label="Source", choices=list(EVENT_FILES.items()))
    file = forms.FileField(label="Events file")
    scope = forms.ChoiceField(
        label="What the file covers",
        choices=list(SCOPES.items()),
        required=False,
        widget=forms.RadioSelect,
        help_text="A likelihood is suggested only from a full extract.",
    )

    def __init__(self, *args: Any, refused: str = "", **kwargs: Any) -> None:
        """``refused``: the name of a file dropped as it arrived, over the size limit
        (``importing.SizeLimit``)."""
        super().__init__(*args, **kwargs)
        self.refused = refused
        self.fields["file"].required = not refused
        self.fields["file"].help_text = (
            f"The file as the source exports it, at most {upload_limit_mb()} MB;"
            " re-importing a file adds nothing twice."
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if self.refused:
            raise forms.ValidationError(too_large(self.refused))
        if upload is not None and upload.size > upload_limit_mb() * 1024 * 1024:
            raise forms.ValidationError(too_large(Path(upload.name or "").name))
        return upload
