"""Finding an assessment version from what a user types: ``pe-2009``, ``pe-2009@2``, ``7``."""

from __future__ import annotations

from riskatlas.apps.assessments.models import Assessment, AssessmentVersion


class AssessmentNotFound(LookupError):
    pass


def find_assessment(ref: str) -> Assessment:
    query = Assessment.objects.filter(slug=ref)
    if ref.isdigit():
        query = Assessment.objects.filter(pk=int(ref)) | query
    assessment = query.first()
    if assessment is None:
        known = ", ".join(Assessment.objects.values_list("slug", flat=True)[:20]) or "none"
        raise AssessmentNotFound(f"no assessment {ref!r} in the database (known: {known})")
    return assessment


def find_version(ref: str) -> AssessmentVersion:
    """``slug`` or ``id`` (the current version: newest published, else newest), or
    ``slug@N`` for version N."""
    name, _, number = ref.partition("@")
    assessment = find_assessment(name)
    if number:
        if not number.isdigit():
            raise AssessmentNotFound(f"{ref!r}: the version after @ must be a number")
        version = assessment.versions.filter(number=int(number)).first()
        if version is None:
            have = ", ".join(str(n) for n in assessment.versions.values_list("number", flat=True))
            raise AssessmentNotFound(f"{name} has no version {number} (versions: {have})")
        return version
    version = assessment.current_version()
    if version is None:
        raise AssessmentNotFound(f"{name} has no versions")
    return version
