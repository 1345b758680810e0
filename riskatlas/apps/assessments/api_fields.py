"""Fields whose rules the editing pages' forms enforce, stated in the OpenAPI description so
that a client knows them before it sends a request: a partial date's shape, threat codes from
the taxonomy, ISO 3166 codes, levels and grades in their ranges. The forms still check them
(with the page's messages), and the single writer checks the version as a document."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from riskatlas.apps.assessments.form_fields import PARTIAL_DATE
from riskatlas.method import default_taxonomy

ISO_CODE = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"


#: The taxonomy's threat codes, named once in the description (SPECTACULAR_SETTINGS).
THREAT_CODES = [c.code for c in default_taxonomy().categories]


def _threat_codes() -> list[str]:
    return list(THREAT_CODES)


@extend_schema_field({"type": "string", "pattern": PARTIAL_DATE.pattern, "maxLength": 10})
class PartialDate(serializers.CharField):
    """YYYY, YYYY-MM or YYYY-MM-DD (a day that does not exist is refused too)."""


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": _threat_codes()}})
class ThreatCodes(serializers.ListField):
    """Threat category codes of the taxonomy."""

    child = serializers.CharField()


@extend_schema_field(
    {"type": "array", "items": {"type": "string", "enum": _threat_codes()}, "minItems": 1}
)
class SomeThreatCodes(ThreatCodes):
    """At least one threat category code of the taxonomy."""


@extend_schema_field({"type": "array", "items": {"type": "string", "pattern": ISO_CODE}})
class IsoCodes(serializers.ListField):
    """ISO 3166 codes (PE, PE-LMA)."""

    child = serializers.CharField()


def ranged(low: int, high: int, **kwargs: Any) -> serializers.IntegerField:
    """A whole number from ``low`` to ``high`` (or null), as described; the form checks it."""

    @extend_schema_field({"type": "integer", "minimum": low, "maximum": high, "nullable": True})
    class Ranged(serializers.IntegerField):
        pass

    return Ranged(**kwargs)
