"""The one door: every change of a version's content goes through here.

Web forms, the API, draft acceptance, open-data decisions, register (CSV/XLSX) import and YAML
import all change a version's parts with these functions, so every path follows the same
rules:

1. **Lock rule**: a version in review is locked (``VersionLockedError``) and an approved or
   published one frozen (``FrozenVersionError``), read from the stored row.
2. **Document checks**: after the change the version is exported and run through the
   interchange format's own schema and reference checks; a problem with a changed part undoes
   the whole change (``ChangeRefused``, naming the field with the format's message), so a
   version is always a valid document whichever way it was changed.
3. **Library mitigations** a risk now uses are copied into the version (a version keeps its
   own copy, so later library changes never alter it).
4. **Stored content hash and summary** (overall level, top risk, counts) brought up to date
   in the same transaction.
5. **No lost updates**: a change made from what an editor read (a form, an API read) names
   the revision it saw; a row saved by someone else since is refused (``EditedMeanwhile``).
6. **Audit**: each row changed writes its audit entry (``apps.audit`` signals), in the same
   transaction; the hash and summary are side effects and write none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Max

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.assessments.deleting import delete_part
from riskatlas.apps.assessments.interchange import content_hash, export_version
from riskatlas.apps.assessments.interchange.importing import ImportResult
from riskatlas.apps.assessments.interchange.importing import import_document as store_document
from riskatlas.apps.assessments.interchange.limits import storage_problems
from riskatlas.apps.assessments.models import AssessmentVersion, Mitigation, Risk
from riskatlas.apps.assessments.revisions import Seen, check_unchanged
from riskatlas.apps.assessments.summary import store_summary
from riskatlas.apps.assessments.tasks import version_changed
from riskatlas.apps.assessments.whereabouts import locate
from riskatlas.document.checks import check_references
from riskatlas.document.problems import Problem
from riskatlas.document.schema import check_schema
from riskatlas.method.mitigations import find_mitigation

Result = TypeVar("Result")
Part = TypeVar("Part", bound=models.Model)


class ChangeRefused(ValueError):
    """The change would leave the version an invalid document; nothing was saved.

    ``problems`` are the document checks' problems with the changed parts, with paths
    relative to each part (``("inherent", "impact")``); ``str()`` joins them as
    ``field: message``."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(describe(p) for p in problems))


def describe(problem: Problem) -> str:
    """``inherent.impact: 9 is not on the matrix's impact scale [1, 2, 3, 4, 5]``."""
    return f"{problem.field}: {problem.message}" if problem.path else problem.message


def require_editable(version: AssessmentVersion) -> None:
    """Refuse unless the stored version may change: in review (``VersionLockedError``),
    approved or published (``FrozenVersionError``)."""
    version._refuse_if_stored_locked()


def change(
    version: AssessmentVersion,
    write: Callable[[], Result],
    *,
    parts: Callable[[Result], Iterable[models.Model]] = lambda made: [],
    details: bool = False,
    seen: Seen | None = None,
) -> Result:
    """Run ``write`` (which saves rows of ``version``) as one change; all or nothing.

    The version is checked as a document afterwards: problems located in the ``parts`` the
    change made or edited (and in the version's own details when ``details``) refuse it with
    ``ChangeRefused``; the rest of the version is not this change's business. With ``seen``
    (the revision of the row an editor read), a row saved by someone else since then refuses
    the change with ``EditedMeanwhile`` before anything is written."""
    with transaction.atomic():
        require_editable(version)
        if seen is not None:
            check_unchanged(seen)
        made = write()
        touched = [p for p in parts(made) if p is not None and p.pk is not None]
        for part in touched:
            if isinstance(part, Risk):
                copy_library_mitigations(version, part.measures)
        doc = export_version(version)
        problems = _problems_of(doc, touched, details)
        if problems:
            raise ChangeRefused(problems)
        content_changed(version, doc)
    return made


def import_document(doc: dict[str, Any], team: Team | None = None) -> ImportResult:
    """Store a whole interchange document (YAML import, a register applied to a version, a
    new version made from the last one): checked as every other change is (``ChangeRefused``
    naming each problem), refused while the version is in review, then written — only the
    parts that differ, for a stored draft — with the hash and summary, all or nothing."""
    problems = list(dict.fromkeys(check_schema(doc) + check_references(doc)))
    problems = problems or storage_problems(doc)
    if problems:
        raise ChangeRefused(problems)
    result = store_document(doc, team=team)
    if result.action != "unchanged":
        version_changed(result.version)  # its evidence computed in the background
    return result


def save_part(
    version: AssessmentVersion, write: Callable[[], Part], *, seen: Seen | None = None
) -> Part:
    """Run ``write``, which saves one part (new or changed), as a change of ``version``."""
    return change(version, write, parts=lambda part: [part], seen=seen)


def save_details(
    version: AssessmentVersion, write: Callable[[], Any], *, seen: Seen | None = None
) -> Any:
    """Run ``write``, which saves the version's own details (title, dates, matrix…)."""
    return change(version, write, details=True, seen=seen)


def remove_part(part: models.Model, evidence_kind: str | None) -> list[str]:
    """Delete ``part`` with the evidence filed under it, unless other parts still name it:
    then nothing is deleted and those parts are returned, in words."""
    version: AssessmentVersion = part.version  # type: ignore[attr-defined]
    with transaction.atomic():
        require_editable(version)
        references = delete_part(part, evidence_kind)
        if not references:
            content_changed(version)
    return references


def content_changed(version: AssessmentVersion, doc: dict[str, Any] | None = None) -> None:
    """Bring the stored content hash and summary up to date with the version's content."""
    doc = doc if doc is not None else export_version(version)
    version.content_hash = content_hash(doc)
    store_summary(version, doc)
    version_changed(version)  # its evidence computed in the background, once committed


# --- measures ------------------------------------------------------------------------------


def ensure_mitigation(version: AssessmentVersion, code: str) -> Mitigation | None:
    """The version's mitigation ``code``, copied in from the library if it is not there yet;
    None when neither has it."""
    existing = Mitigation.objects.filter(version=version, code=code).first()
    if existing is not None:
        return existing
    entry = find_mitigation(code)
    if entry is None:
        return None
    last = Mitigation.objects.filter(version=version).aggregate(m=Max("position"))["m"]
    return Mitigation.objects.create(
        version=version,
        position=0 if last is None else last + 1,
        code=entry.code,
        name=entry.name,
        domain=entry.domain,
        description=entry.description,
        threats=list(entry.threats),
    )


def knows_measure(version: AssessmentVersion, code: str) -> bool:
    """The version has mitigation ``code``, or the library does (to be copied in on use)."""
    return (
        Mitigation.objects.filter(version=version, code=code).exists()
        or find_mitigation(code) is not None
    )


def copy_library_mitigations(version: AssessmentVersion, codes: Iterable[str]) -> None:
    """Copy each library measure of ``codes`` the version lacks (an unknown code is left for
    the document checks to name)."""
    for code in codes:
        ensure_mitigation(version, code)


# --- which problems are the change's ---------------------------------------------------------


def _problems_of(doc: dict[str, Any], parts: list[models.Model], details: bool) -> list[Problem]:
    places = [locate(doc, part) for part in parts]
    prefixes = [p for p in places if p is not None]
    found = []
    for problem in check_schema(doc) + check_references(doc):
        path = tuple(problem.path)
        for prefix in prefixes:
            if path[: len(prefix)] == prefix:
                found.append(Problem(path[len(prefix) :], problem.message, problem.line))
                break
        else:
            if details and path[:1] in (("assessment",), ("matrix",)):
                found.append(Problem(path[1:], problem.message, problem.line))
    return found
