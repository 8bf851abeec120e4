"""The Meaning column of every field table in docs/catalog-format.md: the JSON Schema's field
descriptions. Written by scripts/update_field_docs.py from the document; do not edit by hand.
"""

__all__ = ["FIELD_DOCS"]

FIELD_DOCS: dict[str, dict[str, str]] = {
    "ship_type": {
        "id": "the hull classification symbol: DDG, T-AO",
        "name": "what the symbol stands for: \"guided-missile destroyer\"",
        "category": "the broad kind of ship; claims count by category",
    },
    "aircraft_type": {
        "id": "the designation: F-35B, MQ-9A",
        "name": "the type's name: \"Lightning II\"",
        "role": "what the type is for",
    },
    "place": {
        "id": "the place's id",
        "name": "its name",
        "kind": "what kind of place it is",
        "within": (
            "the place or places that contain it (the Red Sea lies within a command's area *and* within a user's "
            "own \"surge area\"); places must not contain themselves, through any path (cycle)"
        ),
        "position": (
            "where the place is, in decimal degrees (WGS 84; south and west negative): a base or port, or a "
            "representative point of a sea or region (where the maps put units reported there)"
        ),
        "bbox": (
            "for seas, regions and countries: the area's bounding box in degrees; a box whose west edge lies east "
            "of its east edge crosses the 180th meridian"
        ),
        "polygon": (
            "for seas, regions and countries: the area's outline, instead of a bbox (not both); it must not cross "
            "the 180th meridian"
        ),
        "cite": "the source(s) of the position and outline, where they are not common knowledge",
    },
    "source": {
        "id": "the id citations use",
        "title": "the document's title (or, for a report known only second-hand, a description of it)",
        "publisher": "who published it: \"Miami Herald\", \"DVIDS\"",
        "date": "when it was published; leave it out for undated compilations such as a register of hull numbers",
        "url": "where it can be read",
        "kind": "free text: \"news article\", \"news release\", \"register\"",
        "text": (
            "a local copy of the document's text, relative to the YAML file that defines the source, in UTF-8. When"
            " it is given, every citation of this source must carry a quote found in it (see Citations); an "
            "unreadable file is missing-source-text"
        ),
    },
    "vessel": {
        "id": "the vessel's id",
        "name": "its name: \"USS Ramage\"",
        "hull": "the hull number: DDG-61, T-AO-187",
        "type": "the ship type; when left out it follows from the hull number",
        "class": "the class: \"Arleigh Burke\"",
        "navy": "the navy or service it belongs to",
        "commissioned": "when it entered service",
        "decommissioned": "when it left service; certainly before commissioned is a bad-date error",
        "cite": "where its identity (hull, class, dates) comes from",
        "note": "anything else",
    },
    "unidentified_vessels": {
        "id": "the group's id",
        "type": "what they are: DDG",
        "count": "how many, as the source words it",
        "navy": "whose they are",
        "description": "how the source describes them",
        "identified_as": "the named vessels they turned out to be",
        "cite": "the source(s) that counted them",
    },
    "aircraft_detachment": {
        "id": "the detachment's id",
        "name": "how tables name it: \"F-35B of VMFA-225\"",
        "type": "the aircraft type",
        "count": "how many; unknown when the source gives no number",
        "navy": "the navy or service they belong to",
        "base": (
            "where they are based (descriptive: an arrived or reported present event puts them there for the "
            "queries)"
        ),
        "cite": "the source(s)",
        "note": "anything else",
    },
    "formation": {
        "id": "the formation's id",
        "name": "its name",
        "kind": "what kind of formation it is",
        "parent": "the formation it is part of; formations must not contain themselves (cycle)",
        "personnel": "how many people sources say it has",
        "aircraft": "how many aircraft sources say it has (when they give a total, not a list of detachments)",
        "cite": "the source(s) for the formation itself",
        "note": "anything else",
    },
    "figure": {
        "count": "the number, as the source words it",
        "as_of": "the date it describes; without one it holds at any date",
        "cite": "the source(s) that give it",
    },
    "event": {
        "id": "the event's id (nothing refers to it; it names the event for readers)",
        "date": "when it happened, as precisely as the source says",
        "kind": "what happened",
        "units": "the units it happened to: vessels, unidentified vessels, aircraft detachments",
        "formation": (
            "for joined/detached: the formation joined or left; for other kinds: its members at that date are "
            "subjects too"
        ),
        "place": "where; its meaning depends on the kind (below)",
        "to": "for departed: where to",
        "relieves": "the unit that the event's units take over from",
        "count": (
            "a count reported at that date for an aircraft detachment or unidentified group (\"a seventh MQ-9\"), "
            "replacing its earlier count from then on"
        ),
        "arrival": (
            "for ordered, expected and departed only: the days on which the source expects the units to arrive (\"in"
            " days\", \"by mid-November\"); they are possibly at the destination from its first day instead of from "
            "the event's (misplaced-field on other kinds; bad-arrival when it ends before the event)"
        ),
        "cite": "the source(s)",
        "note": "anything else",
    },
    "citation_entry": {
        "source": "the source",
        "quote": "the source's words, verbatim",
        "note": "anything else: a page, what a second-hand report said",
    },
    "claim": {
        "id": "the claim's id",
        "as_of": "the date the claim describes",
        "scope": "what the claim counts: the force in a region, or a formation",
        "figures": "the numbers, one per thing counted",
        "cite": "the source(s)",
        "forecast": "a forecast (\"will soon have\", \"expected to\") of the state over these days",
        "note": "anything else, such as how a forecast's window was read",
    },
    "claim_figure": {
        "what": "what the source counted, in its words: \"amphibious vessels\"",
        "count": "the number, as the source words it",
        "measure": "what is counted",
        "categories": "only ships of these categories; empty: all",
        "types": "only these types; empty: all",
        "part_of": "the what of another figure of the claim that this one is a part of",
    },
    "settings": {
        "region": "the places whose units the totals count by default",
        "title": "the region's name in titles (\"the Caribbean\"); without one, the places' names",
        "cite": "the source(s) that make this the catalog's region",
        "note": "anything else",
    },
}
