"""The JSON Schema of catalog files: every bundled catalog file validates against it, every
malformed case it can express fails it, and it agrees with the loader on what is required."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import orbat
from orbat.loading import SECTIONS
from orbat.schema import COUNT_PATTERN, DATE_PATTERN, SCHEMA_DIALECT, catalog_schema, entry_fields, field_schema

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = (".yaml", ".yml")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in SUFFIXES and p.is_file()) if folder.is_dir() else []


CATALOG_FILES = (
    _files(ROOT / "catalog")
    + _files(ROOT / "tests" / "fixtures" / "good")
    + _files(ROOT / "orbat" / "reference")
    + _files(ROOT / "docs" / "example")
)


class _Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader without YAML 1.1 timestamps: dates stay text, as an editor's YAML 1.2 reader keeps them."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def read_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Yaml12Loader)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = catalog_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(data)]


def orbat_errors(tmp_path: Path, text: str) -> list[str]:
    folder = tmp_path / "catalog"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / "catalog.yaml").write_text(text, encoding="utf-8")
    return [str(p) for p in orbat.validate(folder).errors]


def test_schema_is_draft_2020_12() -> None:
    schema = catalog_schema()
    assert schema["$schema"] == SCHEMA_DIALECT == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(SECTIONS)


def test_cli_prints_the_schema() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "orbat", "schema"], capture_output=True, text=True, encoding="utf-8", check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == catalog_schema()


def test_every_field_of_every_entry_is_described() -> None:
    """The schema follows the model: a field added to an entry class must be described here too."""
    defs = catalog_schema()["$defs"]
    entries = {name: d for name, d in defs.items() if d.get("type") == "object" and "properties" in d}
    assert entries, "no entry definitions"
    for _kind, cls in SECTIONS.values():
        fields = entry_fields(cls)
        matching = [d for d in entries.values() if set(d["properties"]) == fields]
        assert matching, f"{cls.__name__}: no $defs entry has exactly its fields {sorted(fields)}"
        for field in fields:
            assert field_schema(cls, field) is not None, f"{cls.__name__}.{field} has no schema"
    for nested in (orbat.Figure, orbat.ClaimFigure, orbat.Citation):
        for field in entry_fields(nested):
            assert field_schema(nested, field) is not None, f"{nested.__name__}.{field} has no schema"
    for entry in entries.values():
        assert entry["additionalProperties"] is False


@pytest.mark.parametrize("path", CATALOG_FILES, ids=[str(p.relative_to(ROOT)) for p in CATALOG_FILES])
def test_bundled_file_validates(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    data = read_yaml(path.read_text(encoding="utf-8"))
    assert schema_errors(validator, data) == []


def test_there_are_bundled_files_to_check() -> None:
    assert any(p.parent.name == "reference" for p in CATALOG_FILES)
    assert any("fixtures" in p.parts for p in CATALOG_FILES)


# ---------------------------------------------------------------------------------------------
# A small valid file, and malformed variants of it

BASE = """\
places:
  - {id: caribbean, name: Caribbean Sea, kind: sea}
  - {id: puerto-rico, name: Puerto Rico, kind: territory, within: caribbean}
sources:
  - id: tracker
    title: Fleet tracker
    publisher: Example News
    date: 2025-10-27
    kind: news
  - {id: register, title: Register of ships, publisher: Example Register}
vessels:
  - id: ramage
    name: USS Ramage
    hull: DDG-61
    class: Arleigh Burke
    navy: US
    commissioned: 1995
    cite: register
  - {id: surveyor, name: USNS Surveyor, type: T-AGOS, navy: US}
unidentified:
  - id: two-destroyers
    type: DDG
    count: 2
    navy: US
    identified_as: [ramage]
    cite:
      - source: tracker
        note: the tracker does not name them
aircraft:
  - id: f35b
    name: F-35B detachment
    type: F-35B
    count: about 10
    navy: USMC
    base: puerto-rico
    cite: [tracker]
formations:
  - id: jtf
    name: Joint Task Force
    kind: joint task force
  - id: tg
    name: Task Group
    kind: task group
    parent: jtf
    personnel:
      - count: more than 4,000
        as_of: 2025-10
        cite: tracker
events:
  - id: ramage-joins
    date: 2025-10-01
    kind: joined
    units: [ramage]
    formation: tg
    cite: tracker
  - date: 2025-10
    kind: arrived
    formation: tg
    place: caribbean
    cite: tracker
  - date: ~2025-10-20/2025-10-22
    kind: arrived
    units: [f35b]
    place: puerto-rico
    count: 10-12
    note: a span of days
    cite: tracker
claims:
  - id: tracker-totals
    as_of: 2025-10-27
    scope: caribbean
    figures:
      - {what: warships, count: 1, measure: vessels, categories: [surface combatant]}
      - {what: aircraft, count: up to 12, measure: aircraft, types: [F-35B]}
    cite: tracker
"""

# (case, text to find in BASE, its replacement): each makes the file malformed in a way the
# schema can express, and orbat validate reports an error for it too.
MALFORMED = [
    ("unknown field", "    class: Arleigh Burke\n", "    klass: Arleigh Burke\n"),
    ("unknown field of a citation", "        note: the tracker", "        page: the tracker"),
    ("unknown section", "places:\n", "ships: []\nplaces:\n"),
    ("missing required field", "    navy: USMC\n", ""),
    ("missing required citation", "    cite: [tracker]\n", ""),
    ("missing hull and type", "    hull: DDG-61\n", ""),
    ("empty list of units", "    units: [ramage]\n    formation: tg\n", "    units: []\n    formation: tg\n"),
    ("missing place of an arrival", "    place: caribbean\n    cite: tracker\n", "    cite: tracker\n"),
    ("missing figures of a claim", "    figures:\n", "    numbers:\n"),
    ("empty required field", "    name: USS Ramage\n", "    name:\n"),
    ("wrong type: list for text", "    name: USS Ramage\n", "    name: [USS Ramage]\n"),
    ("wrong type: mapping for a count", "    count: 2\n", "    count: {low: 2}\n"),
    ("wrong type: section not a list", "places:\n", "ship_types: DDG\nplaces:\n"),
    ("wrong type: number for text", "    navy: US\n    commissioned", "    navy: 1\n    commissioned"),
    ("bad choice: place kind", "kind: territory", "kind: island"),
    ("bad choice: event kind", "    kind: joined\n", "    kind: sank\n"),
    ("bad choice: formation kind", "    kind: task group\n", "    kind: fleet\n"),
    ("bad choice: measure", "measure: vessels", "measure: ships"),
    ("bad choice: category in a claim", "categories: [surface combatant]", "categories: [warships]"),
    ("bad count text: words", "    count: about 10\n", "    count: ten or so\n"),
    ("bad count text: negative", "    count: 2\n", "    count: -2\n"),
    ("bad count text: approximate unknown", "    count: about 10\n", "    count: about unknown\n"),
    ("bad count text: no number", "count: more than 4,000\n", "count: more than many\n"),
    ("bad date text: words", "    date: 2025-10-27\n", "    date: Oct 27, 2025\n"),
    ("bad date text: month 13", "as_of: 2025-10\n", "as_of: 2025-13\n"),
    ("bad date text: slashes", "    date: 2025-10-01\n", "    date: 2025/10/01\n"),
    ("bad date text: mixed precision span", "~2025-10-20/2025-10-22", "~2025-10-20/2025-11"),
    ("bad date text: time of day", "    date: 2025-10-01\n", "    date: 2025-10-01T12:00\n"),
]


def test_base_file_is_valid_for_both(validator: jsonschema.Draft202012Validator, tmp_path: Path) -> None:
    assert schema_errors(validator, read_yaml(BASE)) == []
    assert orbat_errors(tmp_path, BASE) == []


@pytest.mark.parametrize(("case", "old", "new"), MALFORMED, ids=[case for case, _, _ in MALFORMED])
def test_malformed_file_fails_the_schema(
    validator: jsonschema.Draft202012Validator, tmp_path: Path, case: str, old: str, new: str
) -> None:
    assert BASE.count(old) == 1, f"{case}: {old!r} must occur once in BASE"
    text = BASE.replace(old, new)
    assert schema_errors(validator, read_yaml(text)), f"{case}: the schema accepts it"
    assert orbat_errors(tmp_path, text), f"{case}: orbat accepts it (the case is not malformed)"


ACCEPTED = [
    (
        "one entry instead of a list",
        "places:\n",
        "ship_types: {id: AGX, name: survey ship, category: auxiliary}\nplaces:\n",
    ),
    ("year as a number", "    commissioned: 1995\n", "    commissioned: 1995\n    decommissioned: 2024\n"),
    ("empty optional field", "    class: Arleigh Burke\n", "    class:\n"),
    ("empty section", "claims:\n", "ship_types:\nclaims:\n"),
    ("count with a plus", "count: more than 4,000\n", "count: 4,001+\n"),
    ("count as a word range", "    count: 10-12\n", "    count: 10 to 12\n"),
    ("count in other letter case", "    count: about 10\n", "    count: About 10\n"),
    ("approximate year", "as_of: 2025-10\n", "as_of: ~2025\n"),
]


@pytest.mark.parametrize(("case", "old", "new"), ACCEPTED, ids=[case for case, _, _ in ACCEPTED])
def test_variants_the_loader_accepts_pass_the_schema(
    validator: jsonschema.Draft202012Validator, tmp_path: Path, case: str, old: str, new: str
) -> None:
    assert BASE.count(old) == 1, f"{case}: {old!r} must occur once in BASE"
    text = BASE.replace(old, new)
    assert orbat_errors(tmp_path, text) == [], case
    assert schema_errors(validator, read_yaml(text)) == [], case


def _without(data: dict[str, Any], section: str, index: int, field: str) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(data))
    del copy[section][index][field]
    return copy


def test_schema_and_loader_agree_on_required_fields(validator: jsonschema.Draft202012Validator, tmp_path: Path) -> None:
    """Leaving out any one field of any entry of BASE: the schema refuses it exactly when orbat does."""
    data = read_yaml(BASE)
    disagreements = []
    for section, entries in data.items():
        for index, entry in enumerate(entries):
            for field in entry:
                variant = _without(data, section, index, field)
                by_schema = not schema_errors(validator, variant)
                by_orbat = not orbat_errors(tmp_path, yaml.safe_dump(variant, sort_keys=False))
                if by_schema != by_orbat:
                    disagreements.append(f"{section}[{index}] without {field!r}: schema {by_schema}, orbat {by_orbat}")
    assert disagreements == []


@pytest.mark.parametrize(
    "text",
    [
        "10",
        " 10 ",
        "4,000",
        "about 90",
        "roughly 4,500",
        "~90",
        "more than 4,000",
        "over 60",
        "> 5",
        "at least 61",
        ">= 2",
        "\u2265 2",
        "4,001+",
        "fewer than 5",
        "less than 5",
        "under 5",
        "< 5",
        "at most 10",
        "up to 10",
        "<= 3",
        "10-12",
        "10 \u2013 12",
        "10 to 12",
        "unknown",
        "UNKNOWN",
        "About 10",
        "MORE THAN 4",
        "61 or more",
        "4,000-plus",
        "no more than 10",
        "nearly 2,500",
        "Almost  10",
        "just under 5",
        "some 90",
        "a few",
        "several",
        "dozens of",
        "Hundreds",
    ],
)
def test_count_pattern_matches_what_the_loader_reads(text: str) -> None:
    assert re.search(COUNT_PATTERN, text), text
    orbat.parse_quantity(text)


@pytest.mark.parametrize(
    "text",
    [
        "ten",
        "-3",
        "about",
        "about unknown",
        "1.5",
        "4,00",
        "10 - ",
        "some",
        "10 12",
        "more than",
        "about nearly 90",
        "about several",
        "a handful",
        "nearly",
        "dozen",
        "61 or",
    ],
)
def test_count_pattern_refuses_what_the_loader_refuses(text: str) -> None:
    assert not re.search(COUNT_PATTERN, text), text
    with pytest.raises(orbat.InvalidQuantity):
        orbat.parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2025", True),
        ("2025-08", True),
        ("2025-10-24", True),
        ("2025-09-21/2025-09-23", True),
        ("~2025-10-31", True),
        ("~ 2025-10", True),
        ("2025-08/2025-09", True),
        ("2025-8", False),
        ("2025-10-24/2025-11", False),
        ("24 Oct 2025", False),
        ("2025-13", False),
        ("2025-10-32", False),
        ("2025-09-21/", False),
    ],
)
def test_date_pattern(text: str, valid: bool) -> None:
    assert bool(re.search(DATE_PATTERN, text)) is valid, text
    if valid:
        orbat.parse_date(text)
    else:
        with pytest.raises(orbat.InvalidDate):
            orbat.parse_date(text)
