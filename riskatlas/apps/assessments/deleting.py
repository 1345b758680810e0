"""Deleting a part of a version, for the editing pages and the API alike.

A part that other parts of the version still name (a risk in a recommendation, an area under
a risk or a place…) is not deleted: the caller is told what refers to it. Otherwise the part
goes, together with the evidence filed under it, in one transaction.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import ProtectedError

from riskatlas.apps.assessments.interchange import read_version
from riskatlas.apps.assessments.models import (
    Activity,
    ExposureGroup,
    Mitigation,
    Recommendation,
    Risk,
    Route,
    Site,
    WatchItem,
)
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, ActorLink, Evidence, Incident
from riskatlas.method.register import rate_risks

# When a protected row is found that ``references_to`` does not know about.
OTHER_PARTS = "other parts of this version"


def references_to(part: models.Model) -> list[str]:
    """The other parts of the version that name ``part``, in words."""
    v = part.version_id
    out: list[str] = []
    numbers: dict[str, int] = {}

    def risk(r: Risk) -> str:
        """A risk as the register shows it: its number (R1 the worst) and its title."""
        if not numbers:
            numbers.update({x.id: x.number for x in rate_risks(read_version(r.version))})
        return f"risk R{numbers[r.key]} “{r}”" if r.key in numbers else f"risk “{r}”"

    if isinstance(part, Risk):
        out += [
            f"recommendation “{r}”"
            for r in Recommendation.objects.filter(version_id=v)
            if part.key in r.risks
        ]
    elif isinstance(part, Actor):
        out += [
            f"incident “{i}”" for i in Incident.objects.filter(version_id=v) if part.key in i.actors
        ]
        # Links of other actors to this one (its own links go with it).
        out += [
            f"actor “{link.actor}” (link: {link.relation})"
            for link in ActorLink.objects.filter(version_id=v, other=part).exclude(actor=part)
        ]
    elif isinstance(part, Place):
        out += [f"incident “{i}”" for i in Incident.objects.filter(version_id=v, place=part)]
        out += [f"site “{s}”" for s in Site.objects.filter(version_id=v, place=part)]
        out += [
            f"route “{r}”"
            for r in Route.objects.filter(version_id=v).filter(
                models.Q(origin=part) | models.Q(destination=part)
            )
        ]
    elif isinstance(part, ExposureGroup):
        out += [risk(r) for r in Risk.objects.filter(version_id=v) if part.key in r.exposed]
        out += [
            f"recommendation “{r}”"
            for r in Recommendation.objects.filter(version_id=v)
            if part.key in r.applies_to
        ]
    elif isinstance(part, Mitigation):
        out += [risk(r) for r in Risk.objects.filter(version_id=v) if part.code in r.measures]
        out += [
            f"recommendation “{r}”"
            for r in Recommendation.objects.filter(version_id=v, mitigation=part.code)
        ]
    elif isinstance(part, AssessmentArea):
        out += [risk(r) for r in Risk.objects.filter(version_id=v, area=part)]
        out += [f"place “{p}”" for p in Place.objects.filter(version_id=v, area=part)]
        out += [f"incident “{i}”" for i in Incident.objects.filter(version_id=v, area=part)]
        out += [f"actor “{a}”" for a in Actor.objects.filter(version_id=v) if part.code in a.areas]
        out += [
            f"watch item “{w}”"
            for w in WatchItem.objects.filter(version_id=v)
            if part.code in w.areas
        ]
        out += [
            f"activity “{a}”" for a in Activity.objects.filter(version_id=v) if part.code in a.areas
        ]
    elif part._meta.model_name == "source":
        uses = Evidence.objects.filter(version_id=v, source_id=part.pk).count()
        if uses:
            out.append(f"{uses} evidence item(s)")
        out += [
            f"actor “{a}”" for a in Actor.objects.filter(version_id=v, strength_source_id=part.pk)
        ]
    return out


def delete_part(part: models.Model, evidence_kind: str | None) -> list[str]:
    """Delete ``part`` and its evidence (filed as ``evidence_kind``), unless something refers
    to it: then nothing changes and the references are returned. FrozenVersionError if the
    version is in review or frozen."""
    references = references_to(part)
    if references:
        return references
    try:
        with transaction.atomic():
            if evidence_kind:
                for item in Evidence.objects.filter(
                    version_id=part.version_id,
                    subject_kind=evidence_kind,
                    subject_id=part.pk,
                ):
                    item.delete()
            part.delete()
    except ProtectedError:
        return [OTHER_PARTS]
    return []
