"""Forms for editing an assessment version, and the kinds of part that can be edited (each
kind's form comes from the app of its domain and builds on ``part_form`` and ``form_fields``,
which sit beside this package so that importing an app's forms never runs this module)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import models

from riskatlas.apps.assessments.forms.metadata import MetadataForm
from riskatlas.apps.assessments.forms.parts import (
    ActivityForm,
    ContextSectionForm,
    ExposureGroupForm,
    MitigationForm,
    OfficialAdviceForm,
    RecommendationForm,
    RouteForm,
    SiteForm,
    ThreatNarrativeForm,
    WatchItemForm,
)
from riskatlas.apps.assessments.forms.risks import RiskForm
from riskatlas.apps.assessments.part_form import VersionPartForm
from riskatlas.apps.geography.forms import AreaForm, PlaceForm
from riskatlas.apps.intelligence.forms import ActorForm, IncidentForm, SourceForm


@dataclass(frozen=True)
class PartKind:
    """One kind of part of a version as the editing pages show it."""

    slug: str
    label: str
    singular: str
    form: type[VersionPartForm]
    columns: tuple[tuple[str, str], ...]
    evidence_kind: str | None = None
    note: str = ""

    @property
    def model(self) -> type[models.Model]:
        return self.form._meta.model


PART_KINDS: dict[str, PartKind] = {
    k.slug: k
    for k in (
        PartKind(
            "context",
            "Context",
            "context section",
            ContextSectionForm,
            (("get_topic_display", "Topic"), ("title", "Title")),
            "context",
            "Political, economic, social, security forces, international relations.",
        ),
        PartKind(
            "exposure-groups",
            "Who is exposed",
            "exposure group",
            ExposureGroupForm,
            (("name", "Group"), ("key", "Id")),
            None,
            "Staff groups (national, international, drivers…) that risks name as exposed.",
        ),
        PartKind(
            "activities",
            "Activities",
            "activity",
            ActivityForm,
            (("name", "Activity"), ("areas", "Areas")),
            None,
            "What the staff do, and where.",
        ),
        PartKind(
            "sites",
            "Sites",
            "site",
            SiteForm,
            (("name", "Site"), ("place", "Place")),
            None,
            "Offices, project sites, residences.",
        ),
        PartKind(
            "routes",
            "Routes",
            "route",
            RouteForm,
            (("name", "Route"), ("origin", "From"), ("destination", "To")),
            None,
            "The journeys staff make, from place to place.",
        ),
        PartKind(
            "threats",
            "Threats",
            "threat",
            ThreatNarrativeForm,
            (("category", "Threat"), ("summary", "Summary")),
            "threat",
            "What each category of threat looks like here: modus operandi, targeting, trend.",
        ),
        PartKind(
            "risks",
            "Risks",
            "risk",
            RiskForm,
            (("title", "Risk"), ("category", "Threat"), ("area", "Area")),
            "risk",
            "The register: threat × area × who is exposed, inherent → measures → residual.",
        ),
        PartKind(
            "mitigations",
            "Measures",
            "measure",
            MitigationForm,
            (("code", "Code"), ("name", "Measure"), ("domain", "Domain")),
            None,
            "The measures this assessment uses; apply them to risks from the risk's page.",
        ),
        PartKind(
            "actors",
            "Actors",
            "actor",
            ActorForm,
            (("name", "Actor"), ("type", "Type"), ("strength_estimate", "Strength")),
            "actor",
            "Armed groups, criminal networks, security forces and their strength.",
        ),
        PartKind(
            "incidents",
            "Incidents",
            "incident",
            IncidentForm,
            (("date", "Date"), ("title", "Incident")),
            "incident",
            "Dated events behind the ratings.",
        ),
        PartKind(
            "sources",
            "Sources",
            "source",
            SourceForm,
            (
                ("title", "Source"),
                ("kind", "Kind"),
                ("reliability", "Rel."),
                ("credibility", "Cred."),
            ),
            None,
            "Where the evidence comes from, graded on the Admiralty code.",
        ),
        PartKind(
            "watch-items",
            "Watch items",
            "watch item",
            WatchItemForm,
            (("date", "When"), ("title", "Watch item")),
            "watch_item",
            "Elections, protest seasons and other triggers for a review.",
        ),
        PartKind(
            "areas",
            "Areas",
            "area",
            AreaForm,
            (("code", "Code"), ("name", "Area"), ("level_override", "Level override")),
            "area",
            "The country, its regions, and custom areas such as hot spots and no-go zones.",
        ),
        PartKind(
            "places",
            "Places",
            "place",
            PlaceForm,
            (("name", "Place"), ("kind", "Kind"), ("area", "Area")),
            "place",
            "Towns, sites and valleys with coordinates, each in one of the areas.",
        ),
        PartKind(
            "official-advice",
            "Official advice",
            "official advice",
            OfficialAdviceForm,
            (("government", "Government"), ("level", "Level"), ("as_of", "As of")),
            None,
            "What governments advise their travellers (US, UK, Canada, Australia…).",
        ),
        PartKind(
            "recommendations",
            "Recommendations",
            "recommendation",
            RecommendationForm,
            (("text", "Recommendation"), ("priority", "Priority")),
            "recommendation",
            "What the organisation should do, linked to risks and measures.",
        ),
    )
}


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Optional for most steps"}),
    )


__all__ = ["PART_KINDS", "CommentForm", "MetadataForm", "PartKind", "RiskForm", "VersionPartForm"]
