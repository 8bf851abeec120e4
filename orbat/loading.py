"""Loading a catalog folder: every file, every problem, and never a half-loaded catalog."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from orbat._fast import Unusual, read_fast, read_lines
from orbat._gc import gc_paused
from orbat._nodes import EntryReader, Limits, MappingNode, Origin, Reader, build_tree, prepare_text
from orbat.catalog import Catalog
from orbat.model import (
    AircraftDetachment,
    AircraftType,
    Claim,
    Event,
    Formation,
    Place,
    Settings,
    ShipType,
    Source,
    UnidentifiedVessels,
    Vessel,
)
from orbat.problems import CatalogError, Location, Problem, Severity

__all__ = [
    "EXAMPLE_FOLDER",
    "REFERENCE_FOLDER",
    "SECTIONS",
    "Limits",
    "LoadResult",
    "catalog_files",
    "load",
    "validate",
]

# Top-level sections of a catalog file, each a list of entries, and what each entry becomes.
SECTIONS: dict[str, tuple[str, Any]] = {
    "ship_types": ("ship type", ShipType),
    "aircraft_types": ("aircraft type", AircraftType),
    "places": ("place", Place),
    "sources": ("source", Source),
    "vessels": ("vessel", Vessel),
    "unidentified": ("unidentified vessels", UnidentifiedVessels),
    "aircraft": ("aircraft detachment", AircraftDetachment),
    "formations": ("formation", Formation),
    "events": ("event", Event),
    "claims": ("claim", Claim),
    "settings": ("settings", Settings),
}
_WITHOUT_IDS = frozenset(("events", "settings"))
_SECTION_NAMES = frozenset(SECTIONS)
_SUFFIXES = (".yaml", ".yml")
REFERENCE_FOLDER = Path(__file__).parent / "reference"
# The bundled catalog, installed with the package: the U.S. deployment in the Caribbean, 2025.
EXAMPLE_FOLDER = Path(__file__).parent / "examples" / "caribbean-2025" / "catalog"
DEFAULT_LIMITS = Limits()

PathLike = str | os.PathLike[str]


@attrs.frozen(slots=True)
class LoadResult:
    """What validating a catalog found: the catalog when it has no errors, and every problem."""

    catalog: Catalog | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that stop the catalog from loading."""
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems a reader should know of, which do not stop loading."""
        return tuple(p for p in self.problems if not p.is_error)


def catalog_files(paths: Iterable[PathLike], problems: list[Problem] | None = None) -> list[Path]:
    """The catalog files named by ``paths``: files as given, folders searched for *.yaml/*.yml.

    In folders, hidden files and folders (names starting with ".") are skipped, folder links are
    not followed, and a file that links outside its folder is skipped with a warning appended to
    ``problems``; a folder that cannot be read is an error there, and a link that leads nowhere
    (dangling, or a loop) is kept so that reading it reports why. Raises FileNotFoundError for a
    path that does not exist.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            for found in _folder_files(path, problems):
                if found.suffix.lower() not in _SUFFIXES:
                    continue
                link = found.is_symlink()
                target = _link_target(found) if link else None
                if target is not None and not target.is_relative_to(root):
                    if problems is not None:
                        problems.append(
                            Problem(
                                Location(str(found)),
                                "outside-catalog",
                                f"skipped: this file links to {target}, outside the catalog folder "
                                f"{path}; copy the file into the folder to include it",
                                Severity.WARNING,
                            )
                        )
                    continue
                if found.is_file() or (link and not found.exists()):
                    files.append(found)
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return files


def _folder_files(folder: Path, problems: list[Problem] | None) -> list[Path]:
    """Every file in ``folder`` and the folders below it, sorted, but for hidden ones and what
    folder links lead to. A folder that cannot be read is an error, not a silent gap."""

    def unreadable(exc: OSError) -> None:
        if problems is not None:
            problems.append(
                Problem(
                    Location(str(exc.filename or folder)),
                    "unreadable-file",
                    f"cannot read the folder ({exc.strerror or exc}), so none of its files are read; "
                    "check it is readable",
                )
            )

    files: list[Path] = []
    for parent, folders, names in os.walk(folder, onerror=unreadable):  # folder links are not followed
        folders[:] = [name for name in folders if not name.startswith(".")]
        files.extend(Path(parent, name) for name in names if not name.startswith("."))
    return sorted(files)


def _link_target(path: Path) -> Path | None:
    """Where a link finally leads, or None for a link loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # before Python 3.13, resolve() raises RuntimeError on a loop
        return None


def _read_file(path: Path, limits: Limits, problems: list[Problem]) -> bytes | None:
    """The bytes of the file, or None with a problem; a file over the size limit is not read whole."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = b"" if size > limits.max_file_bytes else handle.read(size + 1)
            if len(data) > size:  # the size was unknown (a pipe) or the file grew: read up to the limit
                data += handle.read(limits.max_file_bytes + 1 - len(data))
    except OSError as exc:
        problems.append(
            Problem(
                Location(str(path)),
                "unreadable-file",
                f"cannot read the file ({exc.strerror or exc}); check it exists and is readable",
            )
        )
        return None
    if size > limits.max_file_bytes or len(data) > limits.max_file_bytes:
        has = f"{size:,} bytes" if size > limits.max_file_bytes else f"more than {limits.max_file_bytes:,} bytes"
        problems.append(
            Problem(
                Location(str(path)),
                "file-too-large",
                f"the file has {has}, over the limit of {limits.max_file_bytes:,}; split it into smaller files",
            )
        )
        return None
    return data


class _Entries:
    """Entries collected from all files, with the first place each id was defined."""

    def __init__(self) -> None:
        self.by_section: dict[str, list[Any]] = {name: [] for name in SECTIONS}
        self.defined_at: dict[str, Origin] = {}
        self.broken: set[str] = set()  # ids of entries not built for errors already reported


def _read_catalog_file(path: Path, limits: Limits, entries: _Entries, problems: list[Problem]) -> None:
    """Reads one file's entries into ``entries``: by the fast path when the file is plain (from its
    lines when it is of the plainest, else from the parser's events), else (or when it fails) by
    the located tree, which reports every problem."""
    file = str(path)
    data = _read_file(path, limits, problems)
    text = None if data is None else prepare_text(file, data, limits, problems)
    if text is None:
        return
    try:
        try:
            top = read_lines(file, text, limits.max_depth)
        except Unusual:  # not of the plainest: read from the parser's events
            top = read_fast(file, text, limits.max_depth)
        top.check_fields(_SECTION_NAMES)
        broken: set[str] = set()
        found = _entries_of(top, broken)
        if broken:
            raise Unusual
    except Unusual:
        root = build_tree(file, text, limits, problems)
        if root is not None:
            _read_sections(file, root, entries, problems)
        return
    _add_entries(found, entries, problems)


def _read_sections(file: str, root: object, entries: _Entries, problems: list[Problem]) -> None:
    """Reads a file's located tree (see ``parse_yaml``) into ``entries``, reporting every problem."""
    if not isinstance(root, MappingNode):
        line, column = getattr(root, "line", 1), getattr(root, "column", 1)
        problems.append(
            Problem(
                Location(file, line, column),
                "wrong-type",
                "a catalog file is a mapping of sections such as 'vessels:' and 'events:'",
            )
        )
        return
    top = Reader(file, root, "catalog file", _SECTION_NAMES, problems)
    _add_entries(_entries_of(top, entries.broken), entries, problems)


def _entries_of(top: EntryReader, broken: set[str]) -> list[tuple[str, Any, EntryReader]]:
    """Each entry of a file's sections that could be built, with its section and reader; the ids
    of those that could not are added to ``broken``."""
    found = []
    for section, (kind, cls) in SECTIONS.items():
        for reader in top.mappings(section, kind, cls.FIELDS):
            entry = cls.from_node(reader)
            if entry is None:
                entry_id = reader.raw_text("id")
                if entry_id is not None:
                    broken.add(entry_id)
                continue
            found.append((section, entry, reader))
    return found


def _add_entries(found: list[tuple[str, Any, EntryReader]], entries: _Entries, problems: list[Problem]) -> None:
    defined, by_section = entries.defined_at, entries.by_section
    for section, entry, reader in found:
        if section == "settings" and by_section["settings"]:
            first = by_section["settings"][0].origin
            problems.append(
                Problem(
                    entry.origin.at(),
                    "duplicate-settings",
                    f"the catalog's settings are already given at {first.at()}; give them once, in one file",
                )
            )
            continue
        if section not in _WITHOUT_IDS or reader.has("id"):
            first = defined.get(entry.id)
            if first is not None:
                problems.append(
                    Problem(
                        entry.origin.at("id"),
                        "duplicate-id",
                        f"id {entry.id!r} is already defined at {first.at('id')}; give one of them another id",
                    )
                )
                continue
            defined[entry.id] = entry.origin
        by_section[section].append(entry)


def _read_source_texts(sources: Sequence[Source], problems: list[Problem]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for source in sources:
        if source.text is None:
            continue
        path = Path(source.origin.file).parent / source.text
        try:
            texts[source.id] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            problems.append(
                Problem(
                    source.origin.at("text"),
                    "missing-source-text",
                    f"cannot read source text {str(path)!r} ({reason}); the path is relative to this file",
                )
            )
    return texts


def validate(
    paths: PathLike | Iterable[PathLike], *, limits: Limits = DEFAULT_LIMITS, reference: bool = True
) -> LoadResult:
    """Read and check a catalog; never raises for problems in the catalog itself.

    With ``reference`` (the default) the ship and aircraft types that orbat ships with are read
    first, so a catalog need only add its own. Raises FileNotFoundError when a named path does
    not exist.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    problems: list[Problem] = []
    files = [(path, limits) for path in catalog_files(paths, problems)]
    if reference:  # orbat's own files, read within the default limits whatever the catalog's are
        files = [(path, DEFAULT_LIMITS) for path in catalog_files([REFERENCE_FOLDER])] + files
    with gc_paused():
        return _validate_files(files, problems)


def _validate_files(files: list[tuple[Path, Limits]], problems: list[Problem]) -> LoadResult:
    from orbat.validation import check  # validation builds on the model this module loads

    entries = _Entries()
    for path, file_limits in files:
        _read_catalog_file(path, file_limits, entries, problems)
    sections = entries.by_section
    source_texts = _read_source_texts(sections["sources"], problems)
    catalog = Catalog(
        ship_types={e.id: e for e in sections["ship_types"]},
        aircraft_types={e.id: e for e in sections["aircraft_types"]},
        places={e.id: e for e in sections["places"]},
        sources={e.id: e for e in sections["sources"]},
        vessels={e.id: e for e in sections["vessels"]},
        unidentified={e.id: e for e in sections["unidentified"]},
        aircraft={e.id: e for e in sections["aircraft"]},
        formations={e.id: e for e in sections["formations"]},
        events=tuple(sorted(sections["events"], key=_event_order)),
        claims={e.id: e for e in sections["claims"]},
        settings=sections["settings"][0] if sections["settings"] else Settings(),
        source_texts=source_texts,
    )
    problems.extend(check(catalog, broken=frozenset(entries.broken)))
    problems.sort(key=Problem.sort_key)
    if any(p.is_error for p in problems):
        return LoadResult(None, tuple(problems))
    warnings = tuple(problems)
    return LoadResult(attrs.evolve(catalog, warnings=warnings), warnings)


def _event_order(event: Event) -> tuple[object, ...]:
    return (event.date.start, event.date.end, event.origin.file, event.origin.line)


def load(paths: PathLike | Iterable[PathLike], *, limits: Limits = DEFAULT_LIMITS, reference: bool = True) -> Catalog:
    """Load a catalog from folders or files, or raise one CatalogError with every problem.

    ``reference`` as for :func:`validate`.
    """
    result = validate(paths, limits=limits, reference=reference)
    if result.catalog is None:
        raise CatalogError(result.problems)
    return result.catalog
