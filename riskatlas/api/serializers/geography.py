"""Areas and places: their serializers belong to the geography app."""

from riskatlas.apps.geography.serializers import (
    AreaSerializer,
    NewAreaSerializer,
    PlaceSerializer,
)

__all__ = ["AreaSerializer", "NewAreaSerializer", "PlaceSerializer"]
