"""The centre of an area from the built boundaries: the area centroid of its largest part."""

import json
from pathlib import Path

from riskatlas.geography.boundaries import area_centroid


def test_centre_of_the_largest_part(tmp_path: Path) -> None:
    square = [[-73.0, -14.0], [-71.0, -14.0], [-71.0, -12.0], [-73.0, -12.0], [-73.0, -14.0]]
    islet = [[-70.0, -10.0], [-69.9, -10.0], [-69.9, -9.9], [-70.0, -10.0]]
    triangle = [[-80.0, -5.0], [-77.0, -5.0], [-80.0, -2.0], [-80.0, -5.0]]
    (tmp_path / "PE.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "PE-CUS", "name": "Cusco"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[islet], [square]]}},
        {"type": "Feature", "properties": {"code": "PE-PIU", "name": "Piura"},
         "geometry": {"type": "Polygon", "coordinates": [triangle]}},
    ]}))  # fmt: skip
    assert area_centroid(tmp_path, "PE-CUS") == (-13.0, -72.0)
    lat, lon = area_centroid(tmp_path, "pe-piu") or (0, 0)
    assert (round(lat, 6), round(lon, 6)) == (-4.0, -79.0)  # a triangle's centroid
    assert area_centroid(tmp_path, "PE-LIM") is None
    assert area_centroid(tmp_path, "CO-DC") is None  # no boundaries for Colombia here
