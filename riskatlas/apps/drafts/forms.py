"""Reading a report: upload a file or paste its text. An uploaded file is read in a separate
process with a time and a memory limit (riskatlas.extraction.isolated), which extracts its
draft too (``cleaned_data["draft"]``); pasted text is held to the same length limit."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms

from riskatlas.extraction.documents import DocumentError
from riskatlas.extraction.isolated import read_isolated
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
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"report{suffix}"
                path.write_bytes(upload.read())
                try:
                    reading = read_isolated(path)
                except DocumentError as error:
                    reason = str(error).split(": ", 1)[-1]
                    raise forms.ValidationError(f"{name}: {reason}") from error
            if not reading.text.strip():
                raise forms.ValidationError(f"{name}: no text found in the file")
            data["text"], data["draft"] = reading.text, reading.draft
            data["title"] = (data.get("title") or "").strip() or name
        else:
            data["text"] = data["text"].replace("\r\n", "\n")
            if len(data["text"]) > max_text_chars():
                raise forms.ValidationError(f"The pasted text: {too_long(len(data['text']))}")
            data["title"] = (data.get("title") or "").strip() or "Pasted report"
        return data
