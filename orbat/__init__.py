"""orbat: naval order-of-battle inventories, sourced, validated and queried.

``orbat.load("catalog")`` reads a catalog folder into typed, immutable objects, or raises one
:class:`CatalogError` listing every located problem.
"""

from orbat.dates import InvalidDate, PartialDate, Precision, parse_date
from orbat.dumping import dump
from orbat.loading import Limits, LoadResult, load, validate
from orbat.model import (
    AircraftDetachment,
    AircraftType,
    Catalog,
    Citation,
    Claim,
    ClaimFigure,
    Event,
    EventKind,
    Figure,
    Formation,
    Place,
    ShipType,
    Source,
    UnidentifiedVessels,
    Unit,
    Vessel,
)
from orbat.problems import CatalogError, Location, Problem, Severity
from orbat.quantities import InvalidQuantity, Quantity, parse_quantity

__version__ = "0.1.0"

__all__ = [
    "AircraftDetachment",
    "AircraftType",
    "Catalog",
    "CatalogError",
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
    "Severity",
    "ShipType",
    "Source",
    "UnidentifiedVessels",
    "Unit",
    "Vessel",
    "dump",
    "load",
    "parse_date",
    "parse_quantity",
    "validate",
]
