"""Writing a catalog back out as catalog YAML that loads to an equal catalog.

Scripts that build catalogs from CSV or other tools write them with :func:`dump`. Every string
that a YAML 1.1 reader would take for something else (``NO``, ``on``, ``1:20``, ``0755``) is
quoted, so it comes back as the same string.
"""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import Any

import attrs
import yaml

from orbat._nodes import yaml11_reading
from orbat.dates import PartialDate
from orbat.loading import REFERENCE_FOLDER, SECTIONS, PathLike
from orbat.model import Catalog, Citation, ClaimFigure, Figure, Settings, Source
from orbat.quantities import Quantity

__all__ = ["dump", "to_data"]

# Attribute names that are written under another key.
_KEYS = {"class_name": "class", "citations": "cite"}
_SKIPPED = frozenset(("origin",))
# Line breaks that PyYAML's emitter folds into spaces in plain and single-quoted scalars.
_UNICODE_BREAKS = frozenset("\x85\u2028\u2029")


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting every string that catalog reading would not take as that text."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _UNICODE_BREAKS.intersection(value):
        style = '"'  # escaped as \N, \L, \P
    elif yaml11_reading(value) is not None:
        # PyYAML quotes what its own resolver would misread, but not "y", "n" or "2025-1-5".
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _represent_list(dumper: yaml.SafeDumper, value: list[object]) -> yaml.SequenceNode:
    # A point or box (a list of numbers, as no other field is) on one line: [18.25, -65.64].
    flow = True if value and all(type(item) is float for item in value) else None
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def _value(value: object, folder: Path, source_folder: Path | None) -> object:
    if isinstance(value, Quantity):
        # The source's wording reads back to an equal count, and keeps what the source said.
        if value.wording is not None:
            return value.wording
        return value.low if value.is_exact else str(value)
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [_value(item, folder, source_folder) for item in value]
    if isinstance(value, Citation | Figure | ClaimFigure):
        return _entry(value, folder, source_folder)
    return value


def _entry(entry: Any, folder: Path, source_folder: Path | None = None) -> dict[str, object]:
    data: dict[str, object] = {}
    for field in attrs.fields(type(entry)):
        if field.name in _SKIPPED:
            continue
        value = getattr(entry, field.name)
        if value is None or value == ():
            continue
        if isinstance(entry, Source) and field.name == "text" and source_folder is not None:
            # A source text path is relative to the file that names it: re-base it.
            value = os.path.relpath(source_folder / str(value), folder)
        data[_KEYS.get(field.name, field.name)] = _value(value, folder, source_folder)
    return data


def to_data(catalog: Catalog, folder: PathLike = ".", *, reference: bool = False) -> dict[str, list[dict[str, object]]]:
    """The catalog as plain sections of plain data, as :func:`dump` writes it into ``folder``.

    Built-in reference entries are left out unless ``reference`` is true.
    """
    target = Path(folder).resolve()
    sections: dict[str, list[dict[str, object]]] = {}
    for section in SECTIONS:
        value = getattr(catalog, section)
        if isinstance(value, Settings):
            entries = [] if value == Settings() else [value]
        else:
            entries = list(value.values()) if isinstance(value, dict) else list(value)
        kept = []
        for entry in entries:
            origin_file = Path(entry.origin.file).resolve() if entry.origin.file != "<built in code>" else None
            if not reference and origin_file is not None and origin_file.parent == REFERENCE_FOLDER.resolve():
                continue
            source_folder = origin_file.parent if origin_file is not None else None
            kept.append(_entry(entry, target, source_folder))
        if kept:
            sections[section] = kept
    return sections


def dump(catalog: Catalog, folder: PathLike, *, reference: bool = False) -> list[Path]:
    """Write ``catalog`` into ``folder`` as one YAML file per section; returns the files written.

    Loading the folder gives back an equal catalog.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for section, entries in to_data(catalog, target, reference=reference).items():
        path = target / f"{section.replace('_', '-')}.yaml"
        text = yaml.dump({section: entries}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
