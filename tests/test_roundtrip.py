"""Nothing lost: what :func:`orbat.dump` writes loads back as an equal catalog.

Checked over generated catalogs (every text field holding strings that YAML or YAML 1.1 readers
take for something else: ``NO``, ``on``, ``1:20``, ``0755``, ``~``, ``""``, spaces at either end,
line breaks, control characters, any Unicode), over the bundled catalog and over every catalog in
``tests/fixtures/good``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_fuzz import FUZZ, REFERENCE, REFERENCE_IDS, catalogs, partial_dates, quantities, texts

import orbat
from orbat import Catalog, Citation, Event, EventKind, Place, Source, UnidentifiedVessels, Vessel

ROOT = Path(__file__).resolve().parent.parent
GOOD = sorted(path for path in (ROOT / "tests" / "fixtures" / "good").iterdir() if path.is_dir())

# The strings the issue names, and more of their kind.
MISREAD = [
    *("NO", "no", "on", "On", "OFF", "yes", "Yes", "y", "n", "Y", "N", "true", "FALSE"),
    *("2025-10", "2025-10-24", "2025-1-5", "2025-10-24 08:00", "2025", "1:20", "190:20:30"),
    *("0755", "0o755", "0x1f", "0b11", "1_000", "1e3", "+12", ".5", ".inf", ".NaN"),
    *("~", "null", "Null", "NULL", "", " ", " padded ", "trailing ", " leading"),
    *("Curaçao", "日本", "😀", "e\u0301", "\u202eRTL", "\ufeffBOM", "\xa0"),
    *("two\nlines", "ends with a line break\n", "\n", "\r\n", "tab\there", "nel\x85here", "\u2028", "\x00", "\x1b"),
    *("'", '"', "#", "a #b", "- a", "a: b", "[a]", "{a}", "&a", "*a", "!a", "%a", "@a", "`a", "|", ">", "<<"),
]


def check_round_trip(catalog: Catalog) -> None:
    """Dumped into a folder and loaded back, ``catalog`` is unchanged."""
    with tempfile.TemporaryDirectory() as tmp:
        orbat.dump(catalog, tmp)
        assert orbat.load(tmp) == catalog


@st.composite
def text_catalogs(draw: st.DrawFn) -> Catalog:
    """A small catalog with one drawn string in every text field (and as ids where it can be one)."""
    values = draw(st.lists(st.one_of(st.sampled_from(MISREAD), texts(40)), min_size=1, max_size=4))
    source = Source("register", values[0], values[-1], url=values[0], kind=values[-1])
    taken = {*REFERENCE_IDS, "register", "group", *(f"vessel {number}" for number in range(len(values)))}
    places, vessels = {}, {}
    for number, value in enumerate(values):
        place_id = value if value and value not in taken else f"place {number}"
        taken.add(place_id)
        places[place_id] = Place(place_id, value, "sea", within=())
        vessel_id = f"vessel {number}"
        vessels[vessel_id] = Vessel(
            vessel_id,
            value,
            "DDG",
            value,
            hull=f"DDG-{number}",
            class_name=value,
            citations=(Citation("register", value, value),),
            note=value,
        )
    group = UnidentifiedVessels(
        "group", "DDG", draw(quantities()), values[0], values[-1], tuple(vessels), (Citation("register"),)
    )
    event_id = draw(st.one_of(st.sampled_from(MISREAD), texts(40)))
    event = Event(
        event_id if event_id and event_id not in taken else None,
        draw(partial_dates()),
        EventKind.REPORTED_PRESENT,
        tuple(vessels),
        (Citation("register", values[-1]),),
        place=next(iter(places)),
        note=values[-1],
    )
    return Catalog(
        ship_types=REFERENCE.ship_types,
        aircraft_types=REFERENCE.aircraft_types,
        places=places,
        sources={"register": source},
        vessels=vessels,
        unidentified={"group": group},
        aircraft={},
        formations={},
        events=(event,),
        claims={},
    )


@settings(FUZZ, max_examples=60)
@given(text_catalogs())
@example(
    Catalog(
        ship_types=REFERENCE.ship_types,
        aircraft_types=REFERENCE.aircraft_types,
        places={value or "empty": Place(value or "empty", value, "sea") for value in MISREAD},
        sources={},
        vessels={},
        unidentified={},
        aircraft={},
        formations={},
        events=(),
        claims={},
    )
)
def test_strings_yaml_misreads_come_back_unchanged(catalog: Catalog) -> None:
    check_round_trip(catalog)


@settings(FUZZ, max_examples=60)
@given(catalogs())
def test_generated_catalogs_come_back_equal(catalog: Catalog) -> None:
    check_round_trip(catalog)


# --------------------------------------------------------------------------- catalogs on disk


def _with_text_paths_resolved(catalog: Catalog) -> Catalog:
    """Source text paths as the files they name: dump re-bases them on the folder it writes."""
    sources = {
        key: source
        if source.text is None
        else attrs.evolve(source, text=str((Path(source.origin.file).parent / source.text).resolve()))
        for key, source in catalog.sources.items()
    }
    return attrs.evolve(catalog, sources=sources)


def _check_folder_round_trip(folder: Path, tmp_path: Path) -> None:
    original = orbat.load(folder)
    first = orbat.dump(original, tmp_path / "first")
    loaded = orbat.load(tmp_path / "first")
    assert _with_text_paths_resolved(loaded) == _with_text_paths_resolved(original)
    assert loaded.source_texts == original.source_texts
    # The same warnings (at other places: the files are others).
    assert sorted((w.code, w.message) for w in loaded.warnings) == sorted(
        (w.code, w.message) for w in original.warnings
    )
    # Dumping what was loaded back writes the very same files.
    second = orbat.dump(loaded, tmp_path / "second")
    assert [path.name for path in second] == [path.name for path in first]
    for a, b in zip(first, second, strict=True):
        assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")


def test_bundled_catalog_comes_back_equal(tmp_path: Path) -> None:
    _check_folder_round_trip(ROOT / "catalog", tmp_path)


def test_good_fixtures_come_back_equal(tmp_path: Path) -> None:
    assert GOOD
    for folder in GOOD:
        _check_folder_round_trip(folder, tmp_path / folder.name)


def test_dumped_strings_that_yaml_misreads_are_quoted(tmp_path: Path) -> None:
    """Beyond loading back equal, the file reads the same in any YAML 1.1 tool (PyYAML's own
    loader here), so it can be shared."""

    places = {value or "empty": Place(value or "empty", value, "sea") for value in MISREAD}
    catalog = attrs.evolve(orbat.load([]), places=places)
    (written,) = orbat.dump(catalog, tmp_path)
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert [entry["name"] for entry in data["places"]] == MISREAD
