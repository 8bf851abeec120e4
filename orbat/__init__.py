"""orbat: naval order-of-battle inventories, sourced, validated and queried.

``orbat.load("catalog")`` reads a catalog folder into typed, immutable objects, or raises one
:class:`CatalogError` listing every located problem.
"""

from orbat.catalog import Catalog
from orbat.dates import InvalidDate, PartialDate, Precision, parse_date
from orbat.dumping import dump
from orbat.loading import Limits, LoadResult, load, validate
from orbat.model import (
    AircraftDetachment,
    AircraftType,
    Citation,
    Claim,
    ClaimFigure,
    Event,
    EventKind,
    Figure,
    Formation,
    Place,
    Settings,
    ShipType,
    Source,
    UnidentifiedVessels,
    Unit,
    Vessel,
)
from orbat.places import Region
from orbat.presence import Status, UnitState
from orbat.problems import CatalogError, Location, Problem, Severity
from orbat.quantities import InvalidQuantity, Quantity, parse_quantity
from orbat.queries import Change, Snapshot, changes, snapshot, timeline

__version__ = "0.1.0"

__all__ = [
    "AircraftDetachment",
    "AircraftType",
    "Catalog",
    "CatalogError",
    "Change",
    "Citation",
    "Claim",
    "ClaimFigure",
    "Event",
    "EventKind",
    "Figure",
    "Formation",
    "InvalidDate",
    "InvalidQuantity",
    "Limits",
    "LoadResult",
    "Location",
    "PartialDate",
    "Place",
    "Precision",
    "Problem",
    "Quantity",
    "Region",
    "Settings",
    "Severity",
    "ShipType",
    "Snapshot",
    "Source",
    "Status",
    "UnidentifiedVessels",
    "Unit",
    "UnitState",
    "Vessel",
    "changes",
    "dump",
    "load",
    "parse_date",
    "parse_quantity",
    "snapshot",
    "timeline",
    "validate",
]
