"""Uploading a YAML assessment, or a risk register spreadsheet into a draft version (a version
in review or frozen refuses both, saying what to do).

An uploaded assessment is always stored as a draft, whatever status the file gives: approving
and publishing are review steps, with their gates and four eyes (``workflow``). Only the
command line (``riskatlas import``, run by an operator) keeps a file's status."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from riskatlas.apps.accounts.models import Role, Team
from riskatlas.apps.accounts.permissions import can, require, teams_of
from riskatlas.apps.assessments.interchange import TeamMismatch, export_version
from riskatlas.apps.assessments.models import (
    Assessment,
    AssessmentVersion,
    Status,
    VersionLockedError,
)
from riskatlas.apps.assessments.writer import ChangeRefused, describe, import_document
from riskatlas.document.register import RegisterError, apply_register, read_register
from riskatlas.document.validation import validate_bytes
from riskatlas.document.workbook import apply_workbook, is_workbook, read_tables

MAX_UPLOAD = 5 * 1024 * 1024


class AssessmentUploadForm(forms.Form):
    file = forms.FileField(label="Assessment file (.yaml)")
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label="Team")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(
            pk__in=[t.pk for t in teams_of(user) if can(user, t, Role.ANALYST)]
        )
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()


class RegisterUploadForm(forms.Form):
    file = forms.FileField(label="Register (.xlsx or .csv)")


def as_draft(doc: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The document with the status draft, and the status it gave (draft when none)."""
    meta = doc["assessment"]
    said = str(meta.get("status") or Status.DRAFT)
    return {**doc, "assessment": {**meta, "status": Status.DRAFT}}, said


def _too_big(upload: Any) -> bool:
    return bool(upload.size and upload.size > MAX_UPLOAD)


@login_required
def import_assessment(request: HttpRequest) -> HttpResponse:
    form = AssessmentUploadForm(request.POST or None, request.FILES or None, user=request.user)
    problems: list[str] = []
    status = 200
    if not form.fields["team"].queryset.exists():  # type: ignore[attr-defined]
        require(request.user, None, Role.ANALYST)  # 404: nobody here may import
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        team: Team = form.cleaned_data["team"]
        name = Path(upload.name).name
        if _too_big(upload):
            problems = [f"{name}: larger than {MAX_UPLOAD // 1024 // 1024} MB"]
        else:
            result = validate_bytes(upload.read(), name)
            problems = [p.format(name) for p in result.problems]
        if not problems:
            doc, said = as_draft(result.document())
            try:
                stored = import_document(doc, team=team)
            except TeamMismatch as exc:
                problems = [f"{name}: {exc}"]
            except ChangeRefused as exc:  # what the database cannot hold: at its line
                problems = [p.format(name) for p in result.refused(exc.problems).problems]
            except VersionLockedError as exc:
                problems, status = [f"{name}: {exc}"], 409
            else:
                if said != Status.DRAFT:
                    messages.warning(
                        request,
                        f"{name} says status “{said}”; an upload is stored as a draft. "
                        "Submit it for review to approve and publish it.",
                    )
                return redirect(
                    "assessments:version", stored.assessment.slug, stored.version.number
                )
    if status == 200 and (problems or form.errors):
        status = 400  # refused, as the app's other forms: each problem as FILE:LINE: message
    return render(
        request, "assessments/import.html", {"form": form, "problems": problems}, status=status
    )


def _uploaded_document(version: AssessmentVersion, path: Path, name: str) -> dict[str, Any]:
    """The version's new content from an uploaded spreadsheet: a workbook of every part (it
    has an Assessment sheet) stands for the whole assessment, rows removed are parts removed;
    a register alone (CSV, or an XLSX of one sheet) updates and adds risks by id."""
    base = export_version(version)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        tables = read_tables(path)
        if is_workbook(tables):
            return apply_workbook(base, tables, name)
    return apply_register(base, read_register(path), name)


@login_required
def import_register(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment, slug=slug)
    require(request.user, assessment.team_id, Role.ANALYST)
    version = get_object_or_404(AssessmentVersion, assessment=assessment, number=number)
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if version.is_locked:
        problems = [version.locked_message]
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name
        suffix = Path(name).suffix.lower()
        if _too_big(upload):
            problems = [f"{name}: larger than {MAX_UPLOAD // 1024 // 1024} MB"]
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"register{suffix}"
                path.write_bytes(upload.read())
                try:
                    doc = _uploaded_document(version, path, name)
                except RegisterError as exc:
                    problems = [
                        p.format().replace("register" + suffix, name, 1) for p in exc.problems
                    ]
                else:
                    try:
                        import_document(doc, team=assessment.team)
                    except ChangeRefused as exc:
                        problems = [f"{name}: {describe(p)}" for p in exc.problems]
                    else:
                        return redirect("assessments:version", slug, number)
    return render(
        request,
        "assessments/register_import.html",
        {"form": form, "problems": problems, "version": version},
        status=409 if version.is_locked else 400 if problems or form.errors else 200,
    )
