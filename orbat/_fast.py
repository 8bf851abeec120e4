"""The fast path of reading: a plain catalog file read straight from the parser's events.

Most catalog files are plain: block mappings and lists of plain or quoted text, with no tags,
anchors, empty values or mistakes. For those, building a located tree of nodes and then reading
it field by field (``orbat._nodes``) costs more than parsing itself. :func:`read_fast` instead
reads each mapping into a dict of values and a dict of field positions as the events stream by,
and :class:`FastMapping` serves the entry constructors from them.

It never reports a problem: at anything unusual (a tag, an anchor, an empty value, a field the
entry does not have, a value it cannot read) it raises :class:`Unusual`, and the loader reads
the file again with the located tree, whose :class:`~orbat._nodes.Reader` reports every problem.
So both paths give the same entries for a plain file, and only the careful one ever speaks;
``tests/test_fast_paths.py`` checks that they agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, Union

import yaml

from orbat import _nodes
from orbat._nodes import (
    _BLOCK_HEADER_COMMENT,
    _LEADING_ZERO,
    _NUMBER,
    _SURROGATE,
    _YAML11_FIRST,
    NULLS,
    EntryReader,
    Origin,
    _read_quantity,
    yaml11_reading,
)
from orbat.dates import InvalidDate, PartialDate, parse_date
from orbat.quantities import InvalidQuantity, Quantity

__all__ = ["FastItems", "FastMapping", "Unusual", "read_fast", "read_lines"]


class Unusual(Exception):
    """The file is not plain; read it with the located tree, which reports why."""


_Value = Union[str, "FastMapping", "FastItems"]


class FastItems(list[_Value]):
    """A list's items, with their positions and which of them were quoted."""

    __slots__ = ("at", "quoted")

    def __init__(self) -> None:  # a new list is empty: list.__init__ has nothing to do
        self.at: list[tuple[int, int]] = []
        self.quoted: set[int] | None = None

    def ambiguous(self, index: int) -> bool:
        """Whether the item is plain text that YAML 1.1 reads as something else (screened by its
        first character before the patterns)."""
        item = self[index]
        return (
            type(item) is str
            and item[:1] in _YAML11_FIRST
            and (self.quoted is None or index not in self.quoted)
            and yaml11_reading(item) is not None
        )


class FastMapping:
    """A mapping read from events; it reads its own fields for an entry's constructor.

    ``at`` holds each field's position: its value's when that is text, else its key's (as the
    located tree's reader gives them).
    """

    __slots__ = ("at", "column", "file", "line", "quoted", "values")

    def __init__(self, file: str, line: int, column: int) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.values: dict[str, _Value] = {}
        self.at: dict[str, tuple[int, int]] = {}
        self.quoted: set[str] | None = None

    # The reading protocol of orbat._nodes.EntryReader; anything a Reader would report is Unusual.

    def has(self, name: str) -> bool:
        return name in self.values

    def raw_text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def entry_error(self, code: str, message: str) -> None:
        raise Unusual

    def origin(self) -> Origin:
        return Origin(self.file, self.line, self.column, self.at)

    def check_fields(self, fields: frozenset[str]) -> None:
        """Unusual unless every field is one of ``fields``."""
        if not self.values.keys() <= fields:
            raise Unusual

    # The accessors below are called for every field of every entry, so each does its checks
    # inline: a value is text (or absent when optional), and plain text must not be what YAML 1.1
    # reads as something else (screened by its first character before the patterns).

    def _scalar(self, name: str, required: bool) -> str | None:
        value = self.values.get(name)
        if type(value) is str:
            return value
        if value is None and not required:
            return None
        raise Unusual

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.values.get(name)
        if type(value) is str:
            if (
                value
                and value[0] in _YAML11_FIRST
                and (self.quoted is None or name not in self.quoted)
                and yaml11_reading(value) is not None
            ):
                raise Unusual
            return value
        if value is None and not required:
            return None
        raise Unusual

    def choice(self, name: str, options: frozenset[str], required: bool = False) -> str | None:
        value = self.values.get(name)
        if type(value) is str:
            if value in options:
                return value
        elif value is None and not required:
            return None
        raise Unusual

    def choices(self, name: str, options: frozenset[str]) -> tuple[str, ...]:
        values = self.texts(name)
        if not options.issuperset(values):
            raise Unusual
        return values

    def texts(self, name: str, required: bool = False) -> tuple[str, ...]:
        value = self.values.get(name)
        if value is None:
            if required:
                raise Unusual
            return ()
        if type(value) is str:
            self.text(name)
            self.at[f"{name}.0"] = self.at[name]
            return (value,)
        if type(value) is not FastItems or (required and not value):
            raise Unusual
        for index, item in enumerate(value):
            if type(item) is not str or value.ambiguous(index):
                raise Unusual
            self.at[f"{name}.{index}"] = value.at[index]
        return tuple(value)  # type: ignore[arg-type]  # every item is text, checked above

    def date(self, name: str, required: bool = False) -> PartialDate | None:
        value = self._scalar(name, required)
        if value is None:
            return None
        try:
            return parse_date(value)
        except InvalidDate:
            raise Unusual from None

    def quantity(self, name: str, required: bool = False) -> Quantity | None:
        value = self._scalar(name, required)
        if value is None:
            return None
        if (self.quoted is None or name not in self.quoted) and _LEADING_ZERO.match(value):
            raise Unusual
        try:
            return _read_quantity(value)
        except InvalidQuantity:
            raise Unusual from None

    def coordinates(self, name: str, size: int, form: str) -> tuple[float, ...] | None:
        value = self.values.get(name)
        return None if value is None else self._numbers(value, name, size)

    def coordinate_lists(self, name: str, size: int, form: str, min_items: int) -> tuple[tuple[float, ...], ...] | None:
        value = self.values.get(name)
        if value is None:
            return None
        if type(value) is not FastItems or len(value) < min_items:
            raise Unusual
        points = []
        for index, item in enumerate(value):
            self.at[f"{name}.{index}"] = value.at[index]
            points.append(self._numbers(item, f"{name}.{index}", size))
        return tuple(points)

    def _numbers(self, value: _Value, key: str, size: int) -> tuple[float, ...]:
        if type(value) is not FastItems or len(value) != size or value.quoted:
            raise Unusual
        numbers = []
        for index, item in enumerate(value):
            if type(item) is not str or _NUMBER.match(item) is None:
                raise Unusual
            self.at[f"{key}.{index}"] = value.at[index]
            numbers.append(float(item))
        return tuple(numbers)

    def mappings(self, name: str, kind: str, fields: frozenset[str], required: bool = False) -> Iterator[EntryReader]:
        value = self.values.get(name)
        if value is None:
            if required:
                raise Unusual
            return iter(())
        items = value if type(value) is FastItems else (value,)
        for item in items:
            if type(item) is not FastMapping:
                raise Unusual
            item.check_fields(fields)
        return iter(items)  # type: ignore[arg-type]  # every item is a mapping, checked above

    def citation_items(
        self, name: str, required: bool, fields: frozenset[str]
    ) -> Iterator[tuple[str, int, int] | EntryReader]:
        value = self.values.get(name)
        if value is None:
            if required:
                raise Unusual
            return iter(())
        if type(value) is str:
            self.text(name)
            return iter(((value, *self.at[name]),))
        if type(value) is FastMapping:
            value.check_fields(fields)
            return iter((value,))
        assert type(value) is FastItems
        if required and not value:
            raise Unusual
        found: list[tuple[str, int, int] | EntryReader] = []
        for index, item in enumerate(value):
            if type(item) is str:
                if value.ambiguous(index):
                    raise Unusual
                found.append((item, *value.at[index]))
            elif type(item) is FastMapping:
                item.check_fields(fields)
                found.append(item)
            else:
                raise Unusual
        return iter(found)


def read_fast(file: str, text: str, max_depth: int) -> FastMapping:
    """The file's top-level mapping, read from parser events; raises Unusual for anything but a
    plain file (see the module's docstring)."""
    loader = _nodes._EventLoader(text)  # looked up here, so that tests can swap in the other parser
    try:
        return _read(file, text, loader.get_event, max_depth)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # the located tree reports the syntax error
        raise Unusual from exc
    finally:
        loader.dispose()


def _read(file: str, text: str, next_event: Callable[[], Any], max_depth: int) -> FastMapping:
    scalar_event = yaml.ScalarEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    alias_event = yaml.AliasEvent
    # Anchors, aliases and tags all start with one of these: without them, events need no look.
    properties = "&" in text or "*" in text or "!" in text
    # The open collection is ``mapping`` (with its values and positions at hand) or else ``items``.
    stack: list[_Frame] = []
    mapping: FastMapping | None = None
    values: dict[str, _Value] | None = None
    at: dict[str, tuple[int, int]] | None = None
    items: FastItems | None = None
    key: str | None = None  # in a mapping, the key whose value comes next, and where it is
    key_mark: Any = None
    root: FastMapping | None = None
    documents = 0
    blocks_plain: bool | None = None  # whether block scalars need no check; found at the first one
    while True:
        event = next_event()
        kind = type(event)
        if kind is scalar_event:
            if properties and (event.anchor is not None or event.tag is not None):
                raise Unusual
            value = event.value
            style = event.style
            if not style:
                if value in NULLS:
                    raise Unusual
            elif style == '"':
                if not value.isascii() and _SURROGATE.search(value):
                    raise Unusual
            elif style != "'":  # a block scalar, plain unless a '#' may follow its '|' or '>'
                if blocks_plain is None:
                    blocks_plain = _BLOCK_HEADER_COMMENT.search(text) is None
                if not blocks_plain:
                    raise Unusual
            if values is not None:
                if key is None:
                    if style or value in values:  # a quoted or repeated key
                        raise Unusual
                    key, key_mark = value, event.start_mark
                    continue
                assert mapping is not None and at is not None
                mark = event.start_mark
                values[key] = value
                at[key] = (mark.line + 1, mark.column + 1)
                if style:
                    if mapping.quoted is None:
                        mapping.quoted = set()
                    mapping.quoted.add(key)
                key = None
            elif items is not None:
                mark = event.start_mark
                if style:
                    if items.quoted is None:
                        items.quoted = set()
                    items.quoted.add(len(items))
                items.append(value)
                items.at.append((mark.line + 1, mark.column + 1))
            else:  # a file that is one scalar
                raise Unusual
        elif kind is mapping_start or kind is sequence_start:
            if (properties and (event.anchor is not None or event.tag is not None)) or len(stack) >= max_depth:
                raise Unusual
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            node: FastMapping | FastItems = FastMapping(file, line, column) if kind is mapping_start else FastItems()
            if values is not None:
                if key is None:  # a list or mapping as a key
                    raise Unusual
                assert at is not None
                values[key] = node
                at[key] = (key_mark.line + 1, key_mark.column + 1)
                key = None
            elif items is not None:
                items.append(node)
                items.at.append((line, column))
            elif type(node) is FastMapping:
                root = node
            else:  # a file that is one list
                raise Unusual
            stack.append((mapping, values, at, items))
            if isinstance(node, FastMapping):
                mapping, values, at, items = node, node.values, node.at, None
            else:
                mapping, values, at, items = None, None, None, node
        elif kind is mapping_end or kind is sequence_end:
            mapping, values, at, items = stack.pop()
        elif kind is alias_event:
            raise Unusual
        elif kind is document_start:
            documents += 1
            if documents > 1:
                raise Unusual
        elif kind is stream_end:
            if root is None:
                raise Unusual
            return root


_Frame = tuple[FastMapping | None, dict[str, _Value] | None, dict[str, tuple[int, int]] | None, FastItems | None]


# ---------------------------------------------------------------------------------------------
# Reading from lines: the plainest files without the parser's events at all.

# Each line of the plainest files: indentation, an optional "- ", an optional "key:" and the
# spaces after it (or the end of the line), and the rest. Keys are what orbat's fields are: lower
# case and "_". Every line matches, so ``findall`` gives one tuple a line, in order, and no match
# objects; a part that is not there is "".
_LINES = re.compile(r"^( *)(- )?(?:([a-z_][a-z0-9_]{0,99}):( +|$))?(.*)$", re.MULTILINE)
# Characters that make a line mean something other than it seems, or be counted otherwise: tabs
# (taken as indentation or not), breaks other than "\n", and a byte-order mark inside the text.
_NOT_LINE_PLAIN = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
# An item of a flow list "[a, b]" read as it is: an id or words, nothing YAML could read otherwise.
_FLOW_ITEM = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.+/ -]*[A-Za-z0-9_.+/-])?\Z")
# How a value may start to be quoted text or a flow list, or plain text read as written: what else
# may start one is left to the parser ("-", "?", ":", ",", "]", "{", "}", "#", "&", "*", "!", "|",
# ">", "%", "@", "`", or a space).
_QUOTES_AND_LISTS = frozenset("\"'[")
_NOT_PLAIN_START = frozenset("-?:,]{}#&*!|>%@` ")
_CLOSING = {'"': '"', "'": "'", "[": "]"}


def read_lines(file: str, text: str, max_depth: int) -> FastMapping:
    """The file's top-level mapping, read line by line; raises Unusual for anything but the
    plainest files.

    These are most catalog files: block mappings and lists, one value a line (plain text, quoted
    text on one line with no escapes, or a flow list of plain ids), and whole-line comments. A line
    of them means what it seems, so reading it needs no parser events, which cost more than all
    the rest. Anything else (flow mappings, comments after values, values over several lines, block
    scalars, tabs, anchors, tags, empty values, keys other than orbat's) is Unusual, and
    :func:`read_fast` reads the file from the parser's events instead. Both give equal mappings,
    down to each field's position and which values were quoted: ``tests/test_fast_paths.py``
    compares them on every file it can find and on generated near misses. ``text`` comes from
    :func:`~orbat._nodes.prepare_text`, which has refused the characters YAML does not allow.
    """
    if "\t" in text or "\r" in text or (not text.isascii() and _NOT_LINE_PLAIN.search(text)) or max_depth <= 0:
        raise Unusual  # (the other characters are not ASCII: a search for two characters is faster)
    # The open collections, innermost last, each with the column (from 0) of its keys or dashes;
    # the innermost is also in ``column`` and ``collection``.
    stack: list[tuple[int, FastMapping | FastItems]] = []
    column = -1
    collection: FastMapping | FastItems | None = None
    opened: tuple[FastMapping, str, int, int] | None = None  # a "key:" whose block comes next
    line_number = 0
    for spaces, dash, key, gap, rest in _LINES.findall(text):
        line_number += 1
        indent = len(spaces)
        if not key and not dash and (not rest or rest[0] == "#"):  # a blank line, or a comment
            continue
        if opened is not None:  # the block of a "key:" opens here: deeper, or a list at its column
            mapping, opened_key, opened_column, opened_line = opened
            opened = None
            if indent < opened_column or (indent == opened_column and not dash) or len(stack) >= max_depth:
                raise Unusual  # "key:" had no value
            collection = FastItems() if dash else FastMapping(file, line_number, indent + 1)
            mapping.values[opened_key] = collection
            mapping.at[opened_key] = (opened_line, opened_column + 1)
            column = indent
            stack.append((column, collection))
        elif collection is None:
            if indent or dash or not key:
                raise Unusual  # the file is not a mapping at the first column
            collection = FastMapping(file, line_number, 1)
            column = 0
            stack.append((column, collection))
        while column > indent:
            stack.pop()
            column, collection = stack[-1]
        if column != indent:
            raise Unusual  # a line deeper than its collection: a value over several lines, or worse
        if dash:
            if type(collection) is not FastItems:
                raise Unusual
            if not key:  # "- value"
                value, quoted = _line_value(rest, line_number, indent + 3, len(stack), max_depth)
                if quoted:
                    if collection.quoted is None:
                        collection.quoted = set()
                    collection.quoted.add(len(collection))
                collection.append(value)
                collection.at.append((line_number, indent + 3))
                continue
            if len(stack) >= max_depth:
                raise Unusual
            column = indent = indent + 2  # "- key: ...": a mapping whose keys are at this column
            mapping = FastMapping(file, line_number, indent + 1)
            collection.append(mapping)
            collection.at.append((line_number, indent + 1))
            collection = mapping
            stack.append((column, collection))
        elif type(collection) is not FastMapping:  # a key after a list at its mapping's column ends it
            stack.pop()
            column, collection = stack[-1]
            if column != indent or type(collection) is not FastMapping:
                raise Unusual
        if not key:
            raise Unusual  # text where a key should be
        mapping = collection
        values = mapping.values
        if key in values or key in NULLS:
            raise Unusual
        if not rest:  # "key:", its value on the lines below
            opened = (mapping, key, indent, line_number)
            continue
        start = len(spaces) + len(dash) + len(key) + len(gap) + 2  # the value's column
        first = rest[0]
        if first not in _QUOTES_AND_LISTS:  # plain text, checked here as _line_value does: most values are
            if first in _NOT_PLAIN_START or rest[-1] in ": " or ": " in rest or " #" in rest or rest in NULLS:
                raise Unusual
            values[key] = rest
            mapping.at[key] = (line_number, start)
            continue
        value, quoted = _line_value(rest, line_number, start, len(stack), max_depth)
        values[key] = value
        if type(value) is FastItems:
            mapping.at[key] = (line_number, indent + 1)
        else:
            mapping.at[key] = (line_number, start)
            if quoted:
                if mapping.quoted is None:
                    mapping.quoted = set()
                mapping.quoted.add(key)
    if collection is None or opened is not None:
        raise Unusual
    return stack[0][1]  # type: ignore[return-value]  # the first collection is the file's mapping


def _line_value(value: str, line: int, column: int, depth: int, max_depth: int) -> tuple[str | FastItems, bool]:
    """What ``value``, the rest of a line from ``column``, reads as, and whether it was quoted."""
    if not value:
        raise Unusual  # "- " and no value
    first = value[0]
    if first not in _QUOTES_AND_LISTS:
        # Plain text: it ends before ": " or " #", and loses any spaces at its end.
        if first in _NOT_PLAIN_START or value[-1] in ": " or ": " in value or " #" in value or value in NULLS:
            raise Unusual
        return value, False
    if len(value) < 2 or value[-1] != _CLOSING[first]:
        raise Unusual
    inner = value[1:-1]
    if first == '"':
        if '"' in inner or "\\" in inner:
            raise Unusual
        return inner, True
    if first == "'":
        if "'" in inner.replace("''", ""):
            raise Unusual
        return inner.replace("''", "'"), True
    if depth >= max_depth:
        raise Unusual
    items = FastItems()  # "[a, b]"
    if inner:
        column += 1
        for item in inner.split(", ") if ", " in inner else (inner,):
            if _FLOW_ITEM.match(item) is None or item in NULLS:  # ("~" does not match)
                raise Unusual
            items.append(item)
            items.at.append((line, column))
            column += len(item) + 2
    return items, False
