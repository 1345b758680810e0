"""Several new risks on one page with one save (issue 12): blank blocks to fill (three, and
one more on asking), each with its title, threat, area, who is exposed, its own matrix for the
ratings, the rationale, a citation and the library's measures; below them the executive
summary and **Save and submit for review**. A block left blank is skipped; a block begun is
checked whole, and nothing is saved (no risk, no source, no summary) while any is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.citations import asked, file_quote, reused_message, source_named
from riskatlas.apps.assessments.forms import PART_KINDS, RiskForm
from riskatlas.apps.assessments.forms.risks import RATING_FIELDS, unprefixed
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.assessments.part_form import free_key
from riskatlas.apps.assessments.views.editing import (
    _risk_panel,
    _submitted,
    _suggestions,
    _urls,
    editable,
)
from riskatlas.apps.intelligence.forms import CiteSourceForm

ROWS, MAX_ROWS = 3, 20
# What the analyst types or chooses in a block (the area starts as the whole country and is
# not a sign that the block was begun; nor are the staff groups ticked for it).
BEGUN = (
    "title",
    "rationale",
    *RATING_FIELDS,
    "add_measures",
)


class SummaryForm(forms.ModelForm):
    class Meta:
        model = AssessmentVersion
        fields = ["summary"]
        labels = {"summary": "Executive summary"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"summary": "Publication needs one; it can be written later in the details."}


@dataclass
class Block:
    prefix: str
    form: RiskForm
    cite: CiteSourceForm
    begun: bool
    citing: bool

    def valid(self) -> bool:
        return self.form.is_valid() and (not self.citing or self.cite.is_valid())


def _quiet(form: forms.BaseForm) -> None:
    """Show the form as filled in, without checking it (a block skipped, or rows added)."""
    form._errors = ErrorDict()
    form.cleaned_data = {}


def _block(version: AssessmentVersion, data: QueryDict | None, index: int) -> Block:
    prefix = f"r{index}-"
    form = RiskForm(data, version=version, prefix=f"r{index}")
    cite = CiteSourceForm(data, version=version, prefix=f"r{index}-cite")
    mine = unprefixed(data, prefix) if data is not None else None
    begun = mine is not None and (
        any(str(v).strip() for name in BEGUN for v in mine.getlist(name))
        # the assessment's only staff group is ticked on every block: not a sign of one begun
        or sorted(mine.getlist("exposed")) != sorted(form.fields["exposed"].initial or [])
    )
    citing = data is not None and asked(cite)
    if not citing:  # the citation is optional: not marked as required until begun
        for field in cite.fields.values():
            field.required = False
    return Block(prefix, form, cite, begun or citing, citing)


def _rows(request: HttpRequest) -> int:
    raw = request.POST.get("rows") or request.GET.get("rows") or ROWS
    try:
        return max(1, min(MAX_ROWS, int(raw)))
    except (TypeError, ValueError):
        return ROWS


@editable
@require_http_methods(["GET", "POST"])
def several_risks(request: HttpRequest, version: AssessmentVersion) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    then = request.POST.get("then", "")
    rows = _rows(request) + (1 if then == "more" else 0)
    rows = min(rows, MAX_ROWS)
    blocks = [_block(version, data, i) for i in range(rows)]
    summary = SummaryForm(data, instance=version)
    problems: list[str] = []
    if data is not None and then in ("save", "submit"):
        begun = [b for b in blocks if b.begun]
        checked = [b.valid() for b in begun]  # every block checked, so each shows its errors
        if all(checked) and summary.is_valid():
            try:
                made = _save(request, version, begun, summary)
            except writer.ChangeRefused as refused:
                problems = [str(p.message) for p in refused.problems]
                for block in begun:
                    block.form.instance.pk = None
                    block.form.instance._state.adding = True
            else:
                if then == "submit":
                    return _submitted(request, version)
                if made:
                    return redirect("assessments:edit_parts", **_urls(version), kind="risks")
                return redirect("assessments:edit", **_urls(version))
    for block in blocks:
        if data is not None and (then == "more" or not block.begun):
            _quiet(block.form)
        if data is not None and (then == "more" or not block.citing):
            _quiet(block.cite)  # a citation not begun is not checked
    if then == "more":
        _quiet(summary)
    shown = []
    for block in blocks:
        panel = _risk_panel(block.form.matrix, block.form.scores())
        mine = unprefixed(data, block.prefix) if data is not None else None
        shown.append((block, panel, _suggestions(mine, None)))
    wrong = data is not None and then != "more" and any(b.begun and b.form.errors for b in blocks)
    context = {
        "version": version,
        "kinds": PART_KINDS.values(),
        "kind": PART_KINDS["risks"],
        "blocks": shown,
        "rows": rows,
        "more_rows": rows < MAX_ROWS,
        "summary": summary,
        "problems": problems,
        "wrong": wrong or bool(problems) or any(b.cite.errors for b in blocks if b.citing),
    }
    status = 400 if context["wrong"] or summary.errors else 200
    return render(request, "assessments/edit/several_risks.html", context, status=status)


def _save(
    request: HttpRequest, version: AssessmentVersion, begun: list[Block], summary: SummaryForm
) -> list[Risk]:
    """The blocks begun and the summary, as one change of the version; their messages."""
    details = summary.has_changed()
    notes: list[tuple[str, str]] = []
    warnings = [(b.form.cleaned_data["title"], w) for b in begun for w in b.form.warnings()]

    def write() -> list[Any]:
        parts: list[Any] = []
        for block in begun:
            instance = block.form.instance
            typed_key = str(block.form.data.get(block.form.add_prefix("key")) or "").strip()
            if not typed_key and Risk.objects.filter(version=version, key=instance.key).exists():
                instance.key = free_key(Risk, version, instance.title)  # two of one title
            risk = block.form.save()
            parts.append(risk)
            if block.citing:
                source, reused = source_named(version, block.cite.cleaned_data)
                cited = file_quote(version, risk, block.cite.cleaned_data, source)
                parts.append(cited)
                if reused:
                    notes.append(("info", reused_message(cited)))
                notes.append(("success", f"Cited “{cited.title}” on “{risk.title}”."))
        if details:
            summary.save()
        return parts

    parts = writer.change(version, write, parts=lambda made: made, details=details)
    risks = [p for p in parts if isinstance(p, Risk)]
    if risks:
        titles = ", ".join(f"“{r.title}”" for r in risks)
        messages.success(request, f"Saved {len(risks)} risk{'s' * (len(risks) != 1)}: {titles}.")
    for level, text in notes:
        getattr(messages, level)(request, text)
    if details:
        messages.success(request, "Saved the executive summary.")
    for title, warning in warnings:
        messages.warning(request, f"“{title}”: {warning}")
    return risks
