"""Showing the single writer's refusals on the page's form: problems under the fields they
name, and a save made from a stale form beside what was saved meanwhile."""

from __future__ import annotations

from typing import Any

from django import forms

from riskatlas.apps.assessments.form_fields import fingerprint
from riskatlas.apps.assessments.revisions import EditedMeanwhile, shown
from riskatlas.apps.assessments.writer import ChangeRefused

# The document's names for fields whose form field is named otherwise.
FORM_NAMES = {"id": "key", "level": "level_override", "from": "origin", "to": "destination"}


def form_field(form: forms.BaseForm, path: tuple[Any, ...]) -> str | None:
    """The form field a document path names (``("inherent", "impact")`` → ``inherent_impact``,
    ``("casualties", "killed")`` → ``killed``), or None."""
    names = [str(p) for p in path if not isinstance(p, int)]
    candidates = ["_".join(names), *(FORM_NAMES.get(n, n) for n in names[:1]), *names[-1:]]
    return next((name for name in candidates if name in form.fields), None)


def show_refusal(form: forms.BaseForm, refused: ChangeRefused, *, new: bool = False) -> None:
    """Add the refusal's messages to ``form`` (a field's own, else the form's); a part that
    was ``new`` is new again on the form, since the change was undone."""
    instance = getattr(form, "instance", None)
    if new and instance is not None:
        instance.pk = None
        instance._state.adding = True
    for problem in refused.problems:
        field = form_field(form, tuple(problem.path))
        if field is not None and field not in form.errors:
            form.add_error(field, problem.message)
        elif field is not None:
            form.errors[field].append(problem.message)
        else:
            where = ".".join(str(p) for p in problem.path)
            form.add_error(None, f"{where}: {problem.message}" if where else problem.message)


def show_clash(form: Any, clash: EditedMeanwhile) -> list[tuple[str, str, str, bool]]:
    """The fields where what was saved meanwhile differs from what this form sends, as
    (label, saved meanwhile, yours, theirs kept). A field the editor left as it was opened and
    someone else changed now holds their value (theirs kept); one the editor changed alone is
    no clash; one both changed keeps the editor's. The form then carries the saved row's
    revision, so saving it again keeps what it holds. A form sent without what it was opened
    on (``opened``) keeps all of the editor's values, as before."""
    opened = form.opened()
    rows = []
    for name in form.edited_fields():
        stored = getattr(clash.stored, name)
        theirs, yours = shown(stored), shown(form.cleaned_data.get(name))
        if theirs == yours:
            continue
        was = opened.get(name)
        mine = fingerprint(form.cleaned_data.get(name))
        if was is not None and was == fingerprint(stored) and was != mine:
            continue  # only the editor changed it: no clash, theirs is what was opened
        kept = was is not None and was == mine and form.hold(name, stored)
        rows.append((str(form.fields[name].label or name), theirs, yours, kept))
    form.take_current(clash.current, clash.stored)
    return rows
