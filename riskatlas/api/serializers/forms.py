"""Incidents, actors, areas and sources change through the editing page's own form
(``PART_KINDS``), so the API accepts exactly what the page accepts and says why not in the
page's words; the changed version is then checked as an interchange document
(``changes.save_part``). Other parts are named by their id within the same version."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.forms.models import model_to_dict
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from riskatlas.api.changes import save_part
from riskatlas.api.serializers.common import PartSerializer
from riskatlas.apps.assessments.forms import PART_KINDS
from riskatlas.apps.assessments.models import AssessmentVersion


class VersionRef(serializers.Field):
    """Another part of the same version, named by its id (``key``) or area ``code``; shown
    as that id, or with ``shown_as`` as a whole object."""

    def __init__(
        self,
        model: type[Model],
        attr: str = "key",
        shown_as: type[serializers.Serializer] | None = None,
        **kwargs: Any,
    ) -> None:
        self.model = model
        self.attr = attr
        self.shown_as = shown_as
        super().__init__(**kwargs)

    def to_representation(self, part: Model) -> Any:
        if self.shown_as is not None:
            return self.shown_as(part, context=self.context).data
        return getattr(part, self.attr)

    def to_internal_value(self, data: Any) -> Model:
        if isinstance(data, dict) and isinstance(data.get(self.attr), str):
            data = data[self.attr]  # as shown by a read (a place), so a read can be sent back
        if not isinstance(data, str):
            raise serializers.ValidationError(f"expected the {self.attr} of {self._a_what()}")
        root = self.root
        assert isinstance(root, FormSerializer)
        parts = self.model._default_manager.filter(version=root.target_version())
        found = parts.filter(**{self.attr: data}).first()
        if found is None:
            known = ", ".join(parts.values_list(self.attr, flat=True)) or "none"
            raise serializers.ValidationError(
                f"no {self._what()} {data!r} in this version ({self._what()}s: {known})"
            )
        return found

    def _what(self) -> str:
        return str(self.model._meta.verbose_name).replace("assessment ", "")

    def _a_what(self) -> str:
        what = self._what()
        return f"an {what}" if what[0] in "aeiou" else f"a {what}"


class VersionRefSchema(OpenApiSerializerFieldExtension):
    """In the description: an id in requests; in responses the id or the object shown."""

    target_class = VersionRef
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        field: VersionRef = self.target
        if direction == "response" and field.shown_as is not None:
            return auto_schema.resolve_serializer(field.shown_as, direction).ref
        return {"type": "string", "description": f"The {field.attr} of {field._a_what()}"}


class FormSerializer(PartSerializer):
    """A part that is changed through the page's form of the kind ``part_kind``."""

    part_kind: str = ""
    # Form field → (API field, what it is within it), where the two differ.
    form_names: dict[str, tuple[str, str]] = {}

    def target_version(self) -> AssessmentVersion:
        if self.instance is not None:
            return self.instance.version
        return self.context["version"]

    def get_validators(self) -> list[Any]:
        return []  # the form checks that ids are unique within the version

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        form_class = PART_KINDS[self.part_kind].form
        fields = list(form_class._meta.fields)
        # Unsent fields keep their stored values (as for risks); a new part starts empty.
        data = model_to_dict(self.instance, fields=fields) if self.instance else {}
        for name, value in attrs.items():
            if name in fields:
                data[name] = value.pk if isinstance(value, Model) else value
        form = form_class(data, instance=self.instance, version=self.target_version())
        if not form.is_valid():
            raise serializers.ValidationError(self._api_errors(form.errors))
        self.form = form
        return attrs

    def _api_errors(self, form_errors: dict[str, list[str]]) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for name, messages in form_errors.items():
            field, detail = self.form_names.get(name, (name, ""))
            if name == "__all__":
                field = serializers.api_settings.NON_FIELD_ERRORS_KEY
            errors.setdefault(field, []).extend(
                f"{detail}: {message}" if detail else str(message) for message in messages
            )
        return errors

    def create(self, validated_data: dict[str, Any]) -> Any:
        return save_part(self.target_version(), self.form.save)

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        return save_part(self.target_version(), self.form.save, self.context.get("seen"))


class NewPart(serializers.Serializer):
    """What a new part says beyond a changed one: the assessment and version it goes into (its
    id, ``key`` or ``code``, is declared by each kind: fixed once made, others refer to it)."""

    assessment = serializers.SlugField(write_only=True, help_text="Assessment slug")
    version = serializers.IntegerField(write_only=True, min_value=1, help_text="Version number")
