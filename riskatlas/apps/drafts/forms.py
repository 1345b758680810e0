"""Reading a report: upload a file or paste its text. The form checks what it can at once
(one of the two, the file's type and size, the pasted text's length); the reading itself runs
in the background (``background.start_reading``): an uploaded file in a separate process with
a time and a memory limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms

from riskatlas.extraction.limits import max_text_chars, too_long

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
MAX_BYTES = 5 * 1024 * 1024


class ReadReportForm(forms.Form):
    title = forms.CharField(max_length=300, required=False, help_text="Default: the file's name.")
    file = forms.FileField(
        required=False,
        label="Report file",
        help_text="A .txt, .md, .html, .pdf or .docx file of at most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    text = forms.CharField(
        required=False,
        label="…or paste the text",
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, pasted = data.get("file"), (data.get("text") or "").strip()
        if bool(upload) == bool(pasted):
            raise forms.ValidationError("Upload a file or paste the text (one of the two).")
        if upload:
            name = Path(upload.name).name
            suffix = Path(name).suffix.lower()
            if suffix not in SUFFIXES:
                raise forms.ValidationError(
                    f"{name}: unsupported file type; use one of {', '.join(SUFFIXES)}"
                )
            if upload.size and upload.size > MAX_BYTES:
                raise forms.ValidationError(f"{name}: larger than 5 MB")
            data["title"] = (data.get("title") or "").strip() or name
        else:
            data["text"] = data["text"].replace("\r\n", "\n")
            if len(data["text"]) > max_text_chars():
                raise forms.ValidationError(f"The pasted text: {too_long(len(data['text']))}")
            data["title"] = (data.get("title") or "").strip() or "Pasted report"
        return data
