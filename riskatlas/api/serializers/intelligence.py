"""Incidents and actors (read-only in the API)."""

from __future__ import annotations

from rest_framework import serializers

from riskatlas.api.serializers.common import PartSerializer
from riskatlas.apps.geography.models import Place
from riskatlas.apps.intelligence.models import Actor, ActorLink, Incident


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["key", "name", "kind", "lat", "lon"]


class IncidentSerializer(PartSerializer):
    date = serializers.CharField(help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    date_precision = serializers.ChoiceField(
        choices=["year", "month", "day", "unknown"], read_only=True
    )
    place = PlaceSerializer(read_only=True, allow_null=True)
    area = serializers.CharField(source="area.code", read_only=True, allow_null=True)
    categories = serializers.ListField(child=serializers.CharField())
    actors = serializers.ListField(child=serializers.SlugField(), help_text="Actor ids")

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


class StrengthSerializer(serializers.Serializer):
    estimate = serializers.CharField(source="strength_estimate")
    fighters = serializers.IntegerField(source="strength_fighters", allow_null=True)
    as_of = serializers.DateField(source="strength_as_of", allow_null=True)
    source = serializers.CharField(source="strength_source.key", allow_null=True)
    credibility = serializers.IntegerField(source="strength_credibility", allow_null=True)


class LinkSerializer(serializers.ModelSerializer):
    actor = serializers.SlugField(source="other.key", help_text="The other actor's id")

    class Meta:
        model = ActorLink
        fields = ["actor", "relation"]


class ActorSerializer(PartSerializer):
    aliases = serializers.ListField(child=serializers.CharField())
    areas = serializers.ListField(child=serializers.CharField(), help_text="Area codes")
    categories = serializers.ListField(child=serializers.CharField())
    strength = StrengthSerializer(source="*", read_only=True)
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
