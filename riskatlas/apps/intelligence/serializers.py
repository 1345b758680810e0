"""Incidents, actors and sources as the API shows them. Analysts change them through the
editing page's forms (``forms.py``); an actor's links are read-only here, as on the page."""

from __future__ import annotations

from rest_framework import serializers

from riskatlas.api.serializers.forms import FormSerializer, NewPart, VersionRef
from riskatlas.apps.assessments.api_fields import PartialDate, SomeThreatCodes, ThreatCodes, ranged
from riskatlas.apps.assessments.form_fields import schema_choices
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.geography.serializers import PlaceSerializer
from riskatlas.apps.intelligence.models import Actor, ActorLink, Incident, Source

# Named in the OpenAPI description (SPECTACULAR_SETTINGS), apart from a version's status.
ACTOR_STATUSES = schema_choices("actor", "status")
SOURCE_KINDS = schema_choices("source", "kind")


class IncidentSerializer(FormSerializer):
    """An incident: a dated event behind the ratings."""

    part_kind = "incidents"

    date = PartialDate(max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    date_precision = serializers.ChoiceField(
        choices=["year", "month", "day", "unknown"], read_only=True
    )
    place = VersionRef(
        Place,
        shown_as=PlaceSerializer,
        required=False,
        allow_null=True,
        help_text="A place id of the version (shown with its name and coordinates)",
    )
    area = VersionRef(
        AssessmentArea, "code", required=False, allow_null=True, help_text="An area code"
    )
    categories = SomeThreatCodes(help_text="Threat codes")
    actors = serializers.ListField(
        child=serializers.SlugField(), required=False, help_text="Actor ids of the version"
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "assessment",
            "version",
            "key",
            "title",
            "date",
            "date_precision",
            "place",
            "area",
            "categories",
            "actors",
            "killed",
            "injured",
            "abducted",
            "description",
        ]
        read_only_fields = ["key"]


class NewIncidentSerializer(NewPart, IncidentSerializer):
    """A new incident."""

    key = serializers.CharField(max_length=80, help_text="The incident's id within the version")


class StrengthSerializer(serializers.Serializer):
    estimate = serializers.CharField(
        source="strength_estimate",
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="The estimate in words; needed when fighters, as_of or source is given",
    )
    fighters = serializers.IntegerField(
        source="strength_fighters", min_value=0, required=False, allow_null=True
    )
    as_of = serializers.DateField(source="strength_as_of", required=False, allow_null=True)
    source = VersionRef(
        Source,
        source="strength_source",
        required=False,
        allow_null=True,
        help_text="A source id of the version",
    )
    credibility = ranged(1, 6, source="strength_credibility", required=False, allow_null=True)


class LinkSerializer(serializers.ModelSerializer):
    actor = serializers.SlugField(source="other.key", help_text="The other actor's id")

    class Meta:
        model = ActorLink
        fields = ["actor", "relation"]


class ActorSerializer(FormSerializer):
    """An armed group, criminal network, security force…, with its strength and links."""

    part_kind = "actors"
    form_names = {
        "strength_estimate": ("strength", "estimate"),
        "strength_fighters": ("strength", "fighters"),
        "strength_as_of": ("strength", "as_of"),
        "strength_source": ("strength", "source"),
        "strength_credibility": ("strength", "credibility"),
    }

    aliases = serializers.ListField(child=serializers.CharField(), required=False)
    type = serializers.ChoiceField(choices=schema_choices("actor", "type"))
    status = serializers.ChoiceField(choices=ACTOR_STATUSES, required=False, allow_blank=True)
    areas = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Area codes"
    )
    categories = ThreatCodes(required=False, help_text="Threat codes")
    strength = StrengthSerializer(source="*", required=False)
    links = LinkSerializer(many=True, read_only=True)

    class Meta:
        model = Actor
        fields = [
            "id",
            "assessment",
            "version",
            "key",
            "name",
            "aliases",
            "type",
            "status",
            "description",
            "strength",
            "areas",
            "categories",
            "links",
        ]
        read_only_fields = ["key"]


class NewActorSerializer(NewPart, ActorSerializer):
    """A new actor."""

    key = serializers.CharField(max_length=80, help_text="The actor's id within the version")


class SourceSerializer(FormSerializer):
    """Where evidence comes from, graded on the Admiralty code."""

    part_kind = "sources"
    kind = serializers.ChoiceField(
        choices=SOURCE_KINDS,
        help_text="What the source is; `analyst`: a named judgement, which must give its "
        "`author` (who) and `date` (when)",
    )

    class Meta:
        model = Source
        fields = [
            "id",
            "assessment",
            "version",
            "key",
            "title",
            "kind",
            "author",
            "date",
            "url",
            "reliability",
            "credibility",
            "note",
        ]
        read_only_fields = ["key"]
        extra_kwargs = {
            "reliability": {"help_text": "Admiralty reliability of the source, A to F"},
            "credibility": {"help_text": "Admiralty credibility of its information, 1 to 6"},
        }


class NewSourceSerializer(NewPart, SourceSerializer):
    """A new source."""

    key = serializers.CharField(max_length=80, help_text="The source's id within the version")
