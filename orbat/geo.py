"""Places on the map: points and areas in latitude and longitude (WGS 84), as the catalog writes them.

A place's ``position`` is a point; its ``bbox`` (south, west, north, east) or ``polygon`` outlines
an area. A box whose west edge lies east of its east edge crosses the 180th meridian. Whether a
point lies in a polygon is worked out on the plane of latitude and longitude, which is close
enough for the areas a catalog outlines (seas and regions far from the poles).
"""

from __future__ import annotations

from collections.abc import Sequence

from orbat.model import Place

__all__ = ["area_geometry", "contains", "has_area", "lon_lat"]


def has_area(place: Place) -> bool:
    """Whether the place outlines an area (a bbox or a polygon)."""
    return place.bbox is not None or bool(place.polygon)


def contains(place: Place, latitude: float, longitude: float) -> bool | None:
    """Whether the point lies in the place's area (its edges included); None when it has none."""
    if place.bbox is not None:
        south, west, north, east = place.bbox
        if not south <= latitude <= north:
            return False
        return west <= longitude <= east if west <= east else longitude >= west or longitude <= east
    if place.polygon:
        return _in_polygon(place.polygon, latitude, longitude)
    return None


def _in_polygon(points: Sequence[tuple[float, float]], latitude: float, longitude: float) -> bool:
    """Even-odd rule, by a ray cast towards the east; a point on an edge counts as inside."""
    inside = False
    count = len(points)
    for n in range(count):
        (lat_a, lon_a), (lat_b, lon_b) = points[n], points[(n + 1) % count]
        if _on_segment(lat_a, lon_a, lat_b, lon_b, latitude, longitude):
            return True
        if (lat_a > latitude) != (lat_b > latitude):
            crossing = lon_a + (latitude - lat_a) * (lon_b - lon_a) / (lat_b - lat_a)
            if longitude < crossing:
                inside = not inside
    return inside


def _on_segment(lat_a: float, lon_a: float, lat_b: float, lon_b: float, lat: float, lon: float) -> bool:
    cross = (lat_b - lat_a) * (lon - lon_a) - (lon_b - lon_a) * (lat - lat_a)
    return (
        abs(cross) <= 1e-12
        and min(lat_a, lat_b) <= lat <= max(lat_a, lat_b)
        and min(lon_a, lon_b) <= lon <= max(lon_a, lon_b)
    )


def lon_lat(latitude: float, longitude: float) -> list[float]:
    """A point as GeoJSON and ORBAT Mapper write it: longitude first."""
    return [longitude, latitude]


def area_geometry(place: Place) -> dict[str, object] | None:
    """The place's area as a GeoJSON geometry (RFC 7946), or None when it has none.

    Rings are closed and counterclockwise, longitude first. A box across the 180th meridian is
    a MultiPolygon of its two halves, as RFC 7946 asks.
    """
    if place.bbox is not None:
        south, west, north, east = place.bbox
        if east < west:
            halves = [_box_ring(south, west, north, 180.0), _box_ring(south, -180.0, north, east)]
            return {"type": "MultiPolygon", "coordinates": [[ring] for ring in halves]}
        return {"type": "Polygon", "coordinates": [_box_ring(south, west, north, east)]}
    if place.polygon:
        corners = list(place.polygon)
        if corners[0] == corners[-1]:
            corners.pop()
        if _signed_area(corners) < 0:
            corners.reverse()
        ring = [lon_lat(lat, lon) for lat, lon in corners]
        return {"type": "Polygon", "coordinates": [[*ring, list(ring[0])]]}
    return None


def _box_ring(south: float, west: float, north: float, east: float) -> list[list[float]]:
    corners = [(south, west), (south, east), (north, east), (north, west), (south, west)]
    return [lon_lat(lat, lon) for lat, lon in corners]


def _signed_area(points: Sequence[tuple[float, float]]) -> float:
    """Twice the area with longitude as x and latitude as y: positive when counterclockwise."""
    return sum(
        points[n][1] * points[(n + 1) % len(points)][0] - points[(n + 1) % len(points)][1] * points[n][0]
        for n in range(len(points))
    )
