"""A located YAML tree built straight from the parser's event stream, and typed field reading.

Building from events (libyaml's C parser when present) keeps every line and column, lets us
refuse what PyYAML would silently accept (duplicate keys, tags, runaway aliases), and leaves
every scalar as text so that the catalog format, not YAML 1.1, decides what a value means.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

import attrs
import yaml

from orbat._pure import PureLoader
from orbat.dates import InvalidDate, PartialDate, parse_date
from orbat.problems import Location, Problem, Severity
from orbat.quantities import InvalidQuantity, Quantity, parse_quantity

__all__ = [
    "HAS_LIBYAML",
    "EntryReader",
    "Limits",
    "MappingNode",
    "Node",
    "Origin",
    "Reader",
    "ScalarNode",
    "SequenceNode",
    "build_tree",
    "parse_yaml",
    "prepare_text",
]

HAS_LIBYAML = hasattr(yaml, "CSafeLoader")
# The C parser when libyaml is present; the pure-Python parser gives the same events otherwise, at
# the same marks (see orbat/_pure.py).
_EventLoader: type[Any] = getattr(yaml, "CSafeLoader", PureLoader)


@attrs.frozen(slots=True)
class Limits:
    """Bounds that keep a hostile or broken file from costing unbounded time or memory."""

    max_depth: int = 64
    max_alias_nodes: int = 1_000
    max_file_bytes: int = 64 * 1024 * 1024


class Node:
    """A YAML node with its 1-based line and column."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


# The subclasses set their attributes themselves, without super(): a catalog of the benchmark's
# size M builds two million nodes, and the extra call costs a tenth of a second.


class ScalarNode(Node):
    """A scalar, always kept as text; ``plain`` is False for quoted and block scalars."""

    __slots__ = ("plain", "value")

    def __init__(self, line: int, column: int, value: str, plain: bool) -> None:
        self.line = line
        self.column = column
        self.value = value
        self.plain = plain


class MappingNode(Node):
    """A mapping from text keys to (key node, value node)."""

    __slots__ = ("pairs",)

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column
        self.pairs: dict[str, tuple[ScalarNode, Node]] = {}


class SequenceNode(Node):
    """A list of nodes."""

    __slots__ = ("items",)

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column
        self.items: list[Node] = []


NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# Stands for a list or mapping used as a mapping key (reported as complex-key) until its value is read.
_COMPLEX_KEY = ScalarNode(1, 1, "", False)


def _problem(file: str, line: int, column: int, code: str, message: str) -> Problem:
    return Problem(Location(file, line, column), code, message)


def _decode(file: str, data: bytes, problems: list[Problem]) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Lines and columns as the parsers count them: in characters, after any byte-order mark.
        before = data[: exc.start].decode("utf-8")
        before = before.lstrip("\ufeff")
        line, column = _line_column(before, len(before))
        problems.append(
            _problem(
                file,
                line,
                column,
                "not-utf8",
                f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8",
            )
        )
        return None
    return text.lstrip("\ufeff")  # libyaml skips any number of them there, PyYAML one


def parse_yaml(file: str, data: bytes, limits: Limits, problems: list[Problem]) -> Node | None:
    """The single document in ``data`` as a located tree, or None with problems appended."""
    text = prepare_text(file, data, limits, problems)
    return None if text is None else build_tree(file, text, limits, problems)


def prepare_text(file: str, data: bytes, limits: Limits, problems: list[Problem]) -> str | None:
    """The file's text for a parser, or None with a problem appended: for a file over the size
    limit, not UTF-8, or with characters that the two parsers would report differently."""
    if len(data) > limits.max_file_bytes:
        problems.append(
            _problem(
                file,
                1,
                1,
                "file-too-large",
                f"the file has {len(data):,} bytes, over the limit of {limits.max_file_bytes:,}; "
                "split it into smaller files",
            )
        )
        return None
    text = _decode(file, data, problems)
    if text is None:
        return None
    # The scans below cost more than parsing some files: for ASCII text (most catalogs), deleting
    # the allowed bytes in C first shows whether the regex need run at all.
    ascii_text = text.isascii()
    bad = None if ascii_text and not data.translate(None, _PRINTABLE_ASCII) else _NOT_PRINTABLE.search(text)
    if bad is not None:
        # Checked here, not by the parser: libyaml gives the position in bytes, and may report a
        # syntax error further on first, where PyYAML checks the whole text before parsing.
        line, column = _line_column(text, bad.start())
        problems.append(
            _problem(
                file,
                line,
                column,
                "syntax",
                f"YAML syntax error: the character U+{ord(bad.group()):04X} is not allowed in YAML; "
                f'remove it, or write it as the escape "\\u{ord(bad.group()):04x}" in a double-quoted value',
            )
        )
        return None
    bom = None if ascii_text or "\ufeff" not in text else _LINE_START_BOM.search(text)
    if bom is not None:
        # libyaml skips a byte-order mark at the start of a line, PyYAML reads it as text.
        line, column = _line_column(text, bom.end() - 1)
        problems.append(
            _problem(
                file,
                line,
                column,
                "syntax",
                "YAML syntax error: a byte-order mark (U+FEFF) starts this line, as where files were joined; remove it",
            )
        )
        return None
    return text


def build_tree(file: str, text: str, limits: Limits, problems: list[Problem]) -> Node | None:
    """The single document in ``text`` (from :func:`prepare_text`) as a located tree, or None
    with problems appended."""
    return _build_tree(file, text, limits, problems, _EventLoader)


# libyaml 0.2.6 (in PyYAML 6.0.4 wheels) stops at 1,000 levels of nesting, and its scanner looks
# ahead through a flow collection, so "[[[[..." fails there before the events reach ``max_depth``.
_LIBYAML_DEPTH_LIMIT = "exceeded maximum nesting depth"


def _build_tree(file: str, text: str, limits: Limits, problems: list[Problem], event_loader: type[Any]) -> Node | None:
    builder = _Builder(file, limits, problems, text)
    loader = None
    reported = len(problems)
    try:
        loader = event_loader(text)  # the pure-Python reader checks the characters here already
        root = builder.build(loader.get_event)
    except yaml.MarkedYAMLError as exc:
        if exc.problem == _LIBYAML_DEPTH_LIMIT and event_loader is not PureLoader:
            # The pure-Python parser has no such limit: it reads on to ``max_depth``, as older
            # libyaml does, so the answer does not depend on the version of libyaml.
            del problems[reported:]
            return _build_tree(file, text, limits, problems, PureLoader)
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        context = exc.context_mark
        if exc.problem and exc.context and context and (context.line, context.column) != (line - 1, column - 1):
            # Such as where the unclosed quote or bracket began, when the parser fails at the end.
            reason += f" ({exc.context} that starts at line {context.line + 1}, column {context.column + 1})"
        problems.append(_problem(file, line, column, "syntax", f"YAML syntax error: {reason}"))
        return None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line, column = _line_column(text, position) if position is not None else (1, 1)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        problems.append(_problem(file, line, column, "syntax", f"YAML syntax error: {reason}"))
        return None
    except (ValueError, OverflowError):
        # PyYAML's pure-Python scanner fails so on an escape past U+10FFFF ("\U00110000"; past
        # 2**31, "\UD00F73FD", with OverflowError), which libyaml reports as a syntax error; its
        # reader stands at the escape.
        mark = loader.get_mark() if loader is not None and hasattr(loader, "get_mark") else None
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append(
            _problem(file, line, column, "syntax", "YAML syntax error: found invalid Unicode character escape code")
        )
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.aborted:
        return None
    if root is None or (isinstance(root, ScalarNode) and root.plain and root.value in NULLS):
        problems.append(
            _problem(
                file,
                1,
                1,
                "empty-file",
                "the file holds no catalog entries; add sections such as 'vessels:' or delete it",
            )
        )
        return None
    return root


# What YAML allows in a stream, and what it counts as a line break (as both parsers do).
_PRINTABLE_ASCII = b"\t\n\r" + bytes(range(0x20, 0x7F))
_NOT_PRINTABLE = re.compile("[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_START_BOM = re.compile("(?:\r\n|[\r\n\x85\u2028\u2029])\ufeff")
_BLOCK_STYLES = frozenset("|>")
_BLOCK_HEADER_COMMENT = re.compile("[|>][0-9+-]*#")
# Anchors, tags, spaces, comments and line breaks: what may come between a node's start and its content.
_PROPERTIES = re.compile("(?:[&!][^\\s]*|[ \t]+|#[^\r\n\x85\u2028\u2029]*|\r\n|[\r\n\x85\u2028\u2029])*")


def _line_column(text: str, position: int) -> tuple[int, int]:
    breaks = list(_LINE_BREAK.finditer(text, 0, position))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, position - line_start + 1


_Pairs = dict[str, tuple[ScalarNode, Node]]


class _Aborted(Exception):
    """The rest of the file is not read; the reason is already among the problems."""


class _Builder:
    """Turns parser events into nodes, checking what YAML itself lets through.

    The loop in :meth:`build` handles the events of a plain catalog inline, as it runs once per
    event (millions for a large catalog); anchors, aliases, tags, block and double-quoted scalars,
    complex and duplicate keys and too-deep nesting go to helpers.
    """

    def __init__(self, file: str, limits: Limits, problems: list[Problem], text: str = "") -> None:
        self.file = file
        self.limits = limits
        self.problems = problems
        self.text = text
        self.line_starts: list[int] | None = None  # offsets in the text, found when a block scalar needs them
        self.aborted = False  # set when the rest of the file is not read
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.alias_nodes = 0

    def error(self, line: int, column: int, code: str, message: str) -> None:
        self.problems.append(_problem(self.file, line, column, code, message))

    def build(self, next_event: Callable[[], Any]) -> Node | None:
        """The root node, or None when the file was not read to its end (see ``aborted``)."""
        try:
            return self._build(next_event)
        except _Aborted:
            self.aborted = True
            return None

    def _build(self, next_event: Callable[[], Any]) -> Node | None:
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
        max_depth = self.limits.max_depth
        # The open collection is in pairs (a mapping) or items (a list); key is a mapping's key
        # whose value comes next. Each frame keeps those of the collection around it, and the
        # anchor of the one it opens.
        stack: list[tuple[Node | None, _Pairs | None, list[Node] | None, Node | None, str | None]] = []
        parent: Node | None = None
        pairs: _Pairs | None = None
        items: list[Node] | None = None
        key: Node | None = None
        root: Node | None = None
        documents = 0
        while True:
            event = next_event()
            kind = type(event)
            node: Node
            if kind is scalar_event:
                style = event.style
                if event.tag is not None or event.anchor is not None or (style and style != "'"):
                    node = self._unusual_scalar(event)
                else:
                    mark = event.start_mark
                    node = ScalarNode(mark.line + 1, mark.column + 1, event.value, not style)
            elif kind is mapping_start or kind is sequence_start:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
                if event.tag is not None:
                    self._check_tag(event.tag, line, column)
                if len(stack) >= max_depth:
                    self.error(
                        line,
                        column,
                        "too-deep",
                        f"nesting deeper than {max_depth} levels; a catalog never needs this, flatten the structure",
                    )
                    self._skip(next_event)
                    node = ScalarNode(line, column, "", False)
                    kind = scalar_event  # the placeholder is a leaf
                elif kind is mapping_start:
                    node = MappingNode(line, column)
                else:
                    node = SequenceNode(line, column)
            elif kind is mapping_end or kind is sequence_end:
                finished = parent
                assert finished is not None
                parent, pairs, items, key, anchor = stack.pop()
                if anchor is not None:
                    self.anchors[anchor] = (finished, _size(finished))
                if parent is None:
                    root = finished
                continue
            elif kind is alias_event:
                node = self._alias(event)
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    self.error(
                        mark.line + 1,
                        mark.column + 1,
                        "multiple-documents",
                        "a catalog file holds one YAML document; move this one to its own file",
                    )
                    raise _Aborted
                continue
            elif kind is stream_end:
                return root
            else:
                continue
            # Attach the node to the open collection.
            if items is not None:
                items.append(node)
            elif pairs is None:
                root = node
            elif key is None:
                key = node if type(node) is ScalarNode else self._complex_key(node)
            else:
                assert isinstance(key, ScalarNode)
                if key is not _COMPLEX_KEY:  # reported; its value is left out, so two are not duplicates
                    first = pairs.get(key.value)
                    if first is None:
                        pairs[key.value] = (key, node)
                    else:
                        self._duplicate_key(key, first[0])
                key = None
            if kind is not scalar_event and kind is not alias_event:
                stack.append((parent, pairs, items, key, event.anchor))
                parent, key = node, None
                pairs, items = (node.pairs, None) if kind is mapping_start else (None, node.items)  # type: ignore[attr-defined]

    def _unusual_scalar(self, event: Any) -> ScalarNode:
        """A scalar with a tag or an anchor, or in double quotes or block style."""
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        if event.tag is not None:
            self._check_tag(event.tag, line, column)
        if event.style == '"' and _SURROGATE.search(event.value):
            # An escape such as "\ud800": libyaml refuses it; PyYAML's pure-Python parser
            # lets it through, as text that cannot be written out as UTF-8.
            self.error(line, column, "syntax", "YAML syntax error: found invalid Unicode character escape code")
            raise _Aborted
        if event.style in _BLOCK_STYLES:
            comment = self._comment_in_block_header(line, column)
            if comment is not None:
                self.error(*comment, "syntax", "YAML syntax error: a comment needs a space before '#'")
                raise _Aborted
        node = ScalarNode(line, column, event.value, not event.style)
        if event.anchor is not None:
            self.anchors[event.anchor] = (node, 1)
        return node

    def _check_tag(self, tag: str, line: int, column: int) -> None:
        if tag != "!":  # the non-specific tag, which changes nothing
            short = tag.replace("tag:yaml.org,2002:", "!!")
            self.error(
                line,
                column,
                "forbidden-tag",
                f"tag {short!r} is not allowed in a catalog: nothing in a catalog is built "
                "from tags; remove it (quote the value if you meant text)",
            )

    def _alias(self, event: Any) -> Node:
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        target = self.anchors.get(event.anchor)
        if target is None:
            self.error(
                line,
                column,
                "unknown-alias",
                f"alias *{event.anchor} names no anchor defined before it; "
                f"define &{event.anchor} first or write the value out",
            )
            return ScalarNode(line, column, "", False)
        node, size = target
        self.alias_nodes += size
        if self.alias_nodes > self.limits.max_alias_nodes:
            self.error(
                line,
                column,
                "alias-budget",
                f"aliases in this file expand to more than {self.limits.max_alias_nodes:,} nodes; write the values out",
            )
            raise _Aborted
        return node

    def _skip(self, next_event: Callable[[], Any]) -> None:
        """Reads past the rest of a too-deep collection whose start was just read."""
        starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        depth = 1
        while depth:
            kind = type(next_event())
            if kind in starts:
                depth += 1
                if depth > self.limits.max_depth:
                    # Twice too deep: the parsers themselves slow down with depth (quadratically,
                    # 160,000 '[' took libyaml a minute), so the rest of the file is not read.
                    raise _Aborted
            elif kind in ends:
                depth -= 1

    def _complex_key(self, node: Node) -> ScalarNode:
        self.error(node.line, node.column, "complex-key", "a mapping key must be plain text, not a list or mapping")
        return _COMPLEX_KEY

    def _duplicate_key(self, key: ScalarNode, first: ScalarNode) -> None:
        self.error(
            key.line,
            key.column,
            "duplicate-key",
            f"key {key.value!r} appears twice in this mapping (first at line "
            f"{first.line}); YAML readers keep only one: remove or merge them",
        )

    def _comment_in_block_header(self, line: int, column: int) -> tuple[int, int] | None:
        """Where a '#' follows right after the '|' or '>' (and indicators) of the block scalar whose
        event starts at ``line``, ``column``: libyaml takes it for a comment, but YAML (and PyYAML)
        need a space before one."""
        if self.line_starts is None:
            self.line_starts = [0, *(found.end() for found in _LINE_BREAK.finditer(self.text))]
        if line > len(self.line_starts):
            return None
        start = _PROPERTIES.match(self.text, self.line_starts[line - 1] + column - 1)
        header = _BLOCK_HEADER_COMMENT.match(self.text, start.end()) if start else None
        return _line_column(self.text, header.end() - 1) if header else None


def _size(node: Node) -> int:
    """How many nodes ``node`` stands for, itself included, with aliases counted at their size."""
    if isinstance(node, MappingNode):
        return 1 + sum(1 + _size(value) for _, value in node.pairs.values())  # with the keys
    if isinstance(node, SequenceNode):
        return 1 + sum(_size(item) for item in node.items)
    return 1


# ---------------------------------------------------------------------------------------------
# Reading typed fields


@attrs.frozen(slots=True)
class Origin:
    """Where an entry was defined, with the line and column of each of its fields."""

    file: str
    line: int
    column: int
    fields: dict[str, tuple[int, int]] = attrs.field(factory=dict, repr=False)

    def at(self, field: str | None = None) -> Location:
        """The location of ``field`` (such as ``"units.2"``), or of the entry itself."""
        line, column = self.fields.get(field, (self.line, self.column)) if field else (self.line, self.column)
        return Location(self.file, line, column)


NOWHERE = Origin("<built in code>", 1, 1)

_T = TypeVar("_T")

# YAML 1.1 (which PyYAML and many other tools follow) reads these plain scalars as non-text.
_YAML11_BOOLS = [
    "yes",
    "Yes",
    "YES",
    "no",
    "No",
    "NO",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "FALSE",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
    "y",
    "Y",
    "n",
    "N",
]
_YAML11_INT = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"
)
_YAML11_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_LEADING_ZERO = re.compile(r"^0[0-9]+$")
# A coordinate in decimal degrees: what YAML 1.2 and 1.1 readers both take for the same number
# (no leading zeros, which YAML 1.1 reads as octal; an exponent only after a point and with a
# sign, as in "1.0e-05"; no "1_000", ".5", ".inf" or ".nan").
_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+][0-9]+)?)?\Z")
_YAML11_DATE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?$")  # ASCII digits, as YAML's


# The first characters of every plain scalar that YAML 1.1 reads as something other than text;
# of those starting with a letter (or "~"), only a few words are, all listed in _YAML11_WORDS.
_YAML11_FIRST = frozenset("~nNyYtTfFoO+-.0123456789")
_YAML11_NUMBER_FIRST = frozenset("+-.0123456789")
_YAML11_WORDS = {
    **{word: "a boolean" for word in _YAML11_BOOLS},
    **{word: "null (no value)" for word in NULLS},
}


def yaml11_reading(value: str) -> str | None:
    """What a YAML 1.1 reader would take this plain scalar for, if not text."""
    word = _YAML11_WORDS.get(value)
    if word is not None:
        return word
    if value[0] not in _YAML11_NUMBER_FIRST:  # the patterns below need a digit, a sign or a dot first
        return None
    if _YAML11_INT.match(value):
        return "a sexagesimal number" if ":" in value else "a number"
    if _YAML11_FLOAT.match(value):
        return "a number"
    if _YAML11_DATE.match(value):
        return "a date"
    return None


def _kind_of(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "a scalar"


def _list_of(count: int, what: str) -> str:
    return f"a list of {count} {what}{'' if count == 1 else 's'}"


class EntryReader(Protocol):
    """What an entry's named constructor (such as ``Vessel.from_node``) reads its fields through.

    :class:`Reader` reads a located tree and reports every problem; the fast reader of
    ``orbat._fast`` reads a plain file straight from parser events and gives up at the first
    problem, so that the file is read again by :class:`Reader`.
    """

    file: str

    def has(self, name: str) -> bool: ...
    def raw_text(self, name: str) -> str | None: ...
    def entry_error(self, code: str, message: str) -> None: ...
    def origin(self) -> Origin: ...
    def text(self, name: str, required: bool = False) -> str | None: ...
    def choice(self, name: str, options: frozenset[str], required: bool = False) -> str | None: ...
    def choices(self, name: str, options: frozenset[str]) -> tuple[str, ...]: ...
    def texts(self, name: str, required: bool = False) -> tuple[str, ...]: ...
    def date(self, name: str, required: bool = False) -> PartialDate | None: ...
    def quantity(self, name: str, required: bool = False) -> Quantity | None: ...
    def coordinates(self, name: str, size: int, form: str) -> tuple[float, ...] | None: ...
    def coordinate_lists(
        self, name: str, size: int, form: str, min_items: int
    ) -> tuple[tuple[float, ...], ...] | None: ...
    def mappings(
        self, name: str, kind: str, fields: frozenset[str], required: bool = False
    ) -> Iterator[EntryReader]: ...
    def citation_items(
        self, name: str, required: bool, fields: frozenset[str]
    ) -> Iterator[tuple[str, int, int] | EntryReader]: ...


class Reader:
    """Reads the fields of one mapping as typed values, collecting located problems.

    Unknown fields are reported with a did-you-mean; every accessor returns None (or an empty
    tuple) when the field is absent or bad, so one pass reports every problem of an entry.
    """

    __slots__ = ("fields", "file", "kind", "node", "positions", "problems")

    def __init__(
        self, file: str, node: MappingNode, kind: str, fields: frozenset[str], problems: list[Problem]
    ) -> None:
        self.file = file
        self.node = node
        self.kind = kind
        self.fields = fields
        self.problems = problems
        self.positions: dict[str, tuple[int, int]] = {}
        for name, (key, value) in node.pairs.items():
            # Checks of a field point at its value when that is text, else at its key.
            at = key if not isinstance(value, ScalarNode) or (value.plain and value.value in NULLS) else value
            self.positions[name] = (at.line, at.column)
            if name not in fields:
                self.unknown_field(key, name)

    def unknown_field(self, key: ScalarNode, name: str) -> None:
        close = difflib.get_close_matches(name, sorted(self.fields), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(sorted(self.fields))}"
        self.error(key, "unknown-field", f"{self.kind} has no field {name!r}; {hint}")

    def error(self, node: Node, code: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(Location(self.file, node.line, node.column), code, message, severity))

    def entry_error(self, code: str, message: str) -> None:
        """A problem of the entry as a whole (such as a field it lacks), at its start."""
        self.error(self.node, code, message)

    def has(self, name: str) -> bool:
        """Whether the field is written at all, even empty or bad."""
        return name in self.node.pairs

    def raw_text(self, name: str) -> str | None:
        """The field's text as written, unchecked (to name an entry that could not be read)."""
        pair = self.node.pairs.get(name)
        return pair[1].value if pair is not None and isinstance(pair[1], ScalarNode) else None

    def origin(self) -> Origin:
        """The entry's origin, with the positions of its fields."""
        return Origin(self.file, self.node.line, self.node.column, self.positions)

    def _get(self, name: str, required: bool) -> Node | None:
        pair = self.node.pairs.get(name)
        if pair is None:
            if required:
                article = "an" if name[0] in "aeiou" else "a"
                self.error(self.node, "missing-field", f"{self.kind} needs {article} {name!r} field")
            return None
        value = pair[1]
        if isinstance(value, ScalarNode) and value.plain and value.value in NULLS:
            if required:
                self.error(value, "missing-field", f"{self.kind} field {name!r} is empty; give it a value")
            return None
        return value

    def _scalar(self, name: str, node: Node, what: str) -> ScalarNode | None:
        if isinstance(node, ScalarNode):
            return node
        self.error(node, "wrong-type", f"{self.kind} field {name!r} must be {what}, not {_kind_of(node)}")
        return None

    def scalar_text(self, name: str, node: Node) -> str | None:
        scalar = self._scalar(name, node, "text")
        if scalar is None:
            return None
        if scalar.plain:
            reading = yaml11_reading(scalar.value)
            if reading is not None:
                self.error(
                    scalar,
                    "ambiguous-value",
                    f"{self.kind} field {name!r}: {scalar.value!r} unquoted is read as {reading} "
                    f'by YAML 1.1 tools; quote it: {name}: "{scalar.value}"',
                )
                return None
        return scalar.value

    def text(self, name: str, required: bool = False) -> str | None:
        """A text field; plain scalars that YAML 1.1 reads as something else must be quoted."""
        node = self._get(name, required)
        return None if node is None else self.scalar_text(name, node)

    def choice(self, name: str, options: frozenset[str], required: bool = False) -> str | None:
        """A text field restricted to ``options``."""
        node = self._get(name, required)
        if node is None:
            return None
        scalar = self._scalar(name, node, "text")
        if scalar is None:
            return None
        if not self._check_choice(name, scalar, options):
            return None
        return scalar.value

    def _check_choice(self, name: str, scalar: ScalarNode, options: frozenset[str]) -> bool:
        if scalar.value in options:
            return True
        close = difflib.get_close_matches(scalar.value, sorted(options), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(sorted(options))}"
        self.error(scalar, "bad-value", f"{self.kind} field {name!r}: {scalar.value!r} is not allowed; {hint}")
        return False

    def choices(self, name: str, options: frozenset[str]) -> tuple[str, ...]:
        """A list of values each restricted to ``options``."""
        values = self.texts(name)
        node = self.node.pairs[name][1] if values else None
        items = node.items if isinstance(node, SequenceNode) else [node] if node else []
        kept = []
        for item in items:
            if isinstance(item, ScalarNode) and item.value in values and self._check_choice(name, item, options):
                kept.append(item.value)
        return tuple(kept)

    def texts(self, name: str, required: bool = False) -> tuple[str, ...]:
        """A list of text values (a single text is taken as a list of one), with positions."""
        node = self._get(name, required)
        if node is None:
            return ()
        items = node.items if isinstance(node, SequenceNode) else [node]
        if isinstance(node, SequenceNode) and not items and required:
            self.error(node, "missing-field", f"{self.kind} field {name!r} is an empty list; name at least one")
        values: list[str] = []
        for index, item in enumerate(items):
            value = self.scalar_text(name, item)
            if value is not None:
                self.positions[f"{name}.{index}"] = (item.line, item.column)
                values.append(value)
        return tuple(values)

    def _convert(
        self,
        name: str,
        required: bool,
        what: str,
        convert: Callable[[str], _T],
        errors: tuple[type[Exception], ...],
        code: str,
    ) -> _T | None:
        node = self._get(name, required)
        if node is None:
            return None
        scalar = self._scalar(name, node, what)
        if scalar is None:
            return None
        try:
            return convert(scalar.value)
        except errors as exc:
            self.error(scalar, code, f"{self.kind} field {name!r}: {exc}")
            return None

    def date(self, name: str, required: bool = False) -> PartialDate | None:
        """A partial date: ``2025``, ``2025-08``, ``2025-10-24``, a span, or ``~`` for "about"."""
        return self._convert(name, required, "a date", parse_date, (InvalidDate,), "bad-date")

    def quantity(self, name: str, required: bool = False) -> Quantity | None:
        """A count as a source words it (see :func:`orbat.quantities.parse_quantity`)."""
        pair = self.node.pairs.get(name)
        if (
            pair is not None
            and isinstance(pair[1], ScalarNode)
            and pair[1].plain
            and _LEADING_ZERO.match(pair[1].value)
        ):
            scalar = pair[1]
            self.error(
                scalar,
                "ambiguous-value",
                f"{self.kind} field {name!r}: {scalar.value!r} unquoted is read as an octal number by YAML 1.1 "
                f"tools; write it without the leading zero: {name}: {int(scalar.value)}",
            )
            return None
        return self._convert(name, required, "a count", _read_quantity, (InvalidQuantity,), "bad-count")

    def coordinates(self, name: str, size: int, form: str) -> tuple[float, ...] | None:
        """A list of ``size`` plain numbers (degrees), such as ``[18.25, -65.64]``; ``form`` says
        what the list holds, for the error message. Each number's position is kept as ``name.i``."""
        node = self._get(name, False)
        return None if node is None else self._numbers(node, name, f"{self.kind} field {name!r}", size, form)

    def coordinate_lists(self, name: str, size: int, form: str, min_items: int) -> tuple[tuple[float, ...], ...] | None:
        """A list of at least ``min_items`` lists of ``size`` numbers (the points of a polygon)."""
        node = self._get(name, False)
        if node is None:
            return None
        label = f"{self.kind} field {name!r}"
        if not isinstance(node, SequenceNode) or len(node.items) < min_items:
            got = _list_of(len(node.items), "point") if isinstance(node, SequenceNode) else _kind_of(node)
            must = f"must be a list of at least {min_items} points, each {form}"
            self.error(node, "bad-position", f"{label} {must}, not {got}")
            return None
        points = []
        for index, item in enumerate(node.items):
            self.positions[f"{name}.{index}"] = (item.line, item.column)
            points.append(self._numbers(item, f"{name}.{index}", f"{label} point {index + 1}", size, form))
        return None if any(point is None for point in points) else tuple(p for p in points if p is not None)

    def _numbers(self, node: Node, key: str, label: str, size: int, form: str) -> tuple[float, ...] | None:
        if not isinstance(node, SequenceNode) or len(node.items) != size:
            got = _list_of(len(node.items), "number") if isinstance(node, SequenceNode) else _kind_of(node)
            self.error(node, "bad-position", f"{label} must be {form}, not {got}")
            return None
        numbers: list[float] = []
        for index, item in enumerate(node.items):
            self.positions[f"{key}.{index}"] = (item.line, item.column)
            if not isinstance(item, ScalarNode):
                self.error(item, "bad-position", f"{label}: each coordinate must be a number, not {_kind_of(item)}")
            elif not item.plain:
                self.error(item, "bad-position", f"{label}: {item.value!r} is quoted; write coordinates unquoted")
            elif _NUMBER.match(item.value) is None:
                self.error(
                    item,
                    "bad-position",
                    f"{label}: {item.value!r} is not a number; write degrees as decimal numbers, south and "
                    "west negative, such as -65.64",
                )
            else:
                numbers.append(float(item.value))
        return tuple(numbers) if len(numbers) == size else None

    def mappings(self, name: str, kind: str, fields: frozenset[str], required: bool = False) -> Iterator[Reader]:
        """Readers of the mappings in a list field (a single mapping is taken as a list of one)."""
        node = self._get(name, required)
        if node is None:
            return
        items = node.items if isinstance(node, SequenceNode) else [node]
        for item in items:
            if isinstance(item, MappingNode):
                yield self.sub(item, kind, fields)
            else:
                self.error(
                    item,
                    "wrong-type",
                    f"each entry of {self.kind} field {name!r} must be a mapping, not {_kind_of(item)}",
                )

    def citation_items(
        self, name: str, required: bool, fields: frozenset[str]
    ) -> Iterator[tuple[str, int, int] | Reader]:
        """The items of a citation field: each a source id with its line and column, or a reader
        of a mapping (with ``fields``); one id or one mapping alone is a list of one."""
        pair = self.node.pairs.get(name)
        if pair is None:
            if required:
                self.entry_error("missing-citation", f"{self.kind} needs a {name!r} field naming its source(s)")
            return
        value = pair[1]
        if isinstance(value, ScalarNode) and value.plain and value.value in NULLS:
            items: list[Node] = []
        else:
            items = value.items if isinstance(value, SequenceNode) else [value]
        for item in items:
            if isinstance(item, ScalarNode):
                source = self.scalar_text(name, item)
                if source is not None:
                    yield source, item.line, item.column
            elif isinstance(item, MappingNode):
                yield self.sub(item, "citation", fields)
            else:
                self.error(item, "wrong-type", "a citation is a source id or a mapping with 'source' and 'quote'")
        if not items and required:
            self.error(value, "missing-citation", f"{self.kind} field {name!r} names no source")

    def sub(self, node: MappingNode, kind: str, fields: frozenset[str]) -> Reader:
        """A reader for a nested mapping, reporting into the same list."""
        return Reader(self.file, node, kind, fields, self.problems)


def _read_quantity(text: str) -> Quantity:
    # isdigit() alone also accepts digits such as '²' that int() refuses.
    return parse_quantity(int(text) if text.isascii() and text.isdigit() else text)
