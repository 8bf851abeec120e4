# mypy: allow-untyped-calls
"""PyYAML's pure-Python parser, made to read and place what it reads as libyaml does.

orbat reads YAML with libyaml when PyYAML was built with it, and with this parser otherwise (and
on a file that libyaml's nesting limit stops). Problems take their lines and columns from the
parsers' marks, so both must count alike; PyYAML's pure-Python parser differs from libyaml in
these ways, each mended here as libyaml does it:

- a U+FEFF inside a line (a byte-order mark where files were joined, or a zero-width no-break
  space) counts one column in libyaml, as every character does, and none in PyYAML's reader;
- at the end of a file with no final line break, libyaml moves to the start of the next line
  before its last tokens, and PyYAML does not: the empty value of a last ``? key`` is there;
- an empty key or value in a flow collection (``{note: }``, ``{? : x}``, ``[a: ]``) is where
  libyaml places it, at the start of the token after it, where PyYAML places it right after
  its ``?`` or ``:``;
- an explicit key left empty in a flow list, right before ``:`` or ``,`` (``[? : x]``), makes
  libyaml (0.2.6) read past that ``:`` or ``,`` and stop at the next item with a syntax error,
  where PyYAML read a pair with an empty key;
- in a flow collection, libyaml reads a ``?`` inside a plain scalar as part of it (``[Who?]``),
  where PyYAML ended the scalar there and failed; and it refuses a ``:`` right before ``,``,
  ``?``, ``[``, ``]``, ``{`` or ``}`` (``{note:}``) with a syntax error, where PyYAML read a key
  with no value;
- libyaml ends a tag at ``,``, ``[`` or ``]`` (but in ``!<...>``) and lets a ``,`` follow it in
  a flow collection, where PyYAML read ``!a,b`` as one tag; and its tag handles are ``!``,
  ``!!`` or ``!name!`` only;
- libyaml refuses a tab after the spaces that start a block scalar whose indentation it finds
  by itself (``note: |`` then ``  <TAB>text``), where PyYAML read the tab as text; and it
  takes a tab after a block scalar's header and a space (``note: |- <TAB>``) for a space, where
  PyYAML failed.

PyYAML still refuses tabs in other places where libyaml accepts them (docs/reliability.md).
``tests/test_fuzz.py`` checks that both parsers give the same events, each at the same line and
column, on generated YAML.
"""

from __future__ import annotations

import string
from typing import Any

import yaml
from yaml.scanner import ScannerError
from yaml.tokens import (
    FlowEntryToken,
    FlowMappingEndToken,
    FlowSequenceEndToken,
    KeyToken,
    ScalarToken,
    TagToken,
    ValueToken,
)

__all__ = ["PureLoader"]

_BLANK_OR_END = "\0 \t\r\n\x85\u2028\u2029"
_HANDLE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")
# What a tag's URI may hold outside '!<...>' (libyaml's list; PyYAML's adds ',', '[' and ']').
_URI_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_;/?:@&=+$.%!~*'()")


class PureLoader(yaml.SafeLoader):
    """PyYAML's safe pure-Python loader, counting lines and columns as libyaml does (see the
    module's docstring); orbat reads only its events."""

    def forward(self, length: int = 1) -> None:
        # Reader.forward of PyYAML 6, but for the column of a U+FEFF, which it does not count.
        # orbat parses a whole text (a str), so ``buffer`` holds all of it.
        if self.pointer + length + 1 >= len(self.buffer):
            self.update(length + 1)
        buffer = self.buffer
        while length:
            character = buffer[self.pointer]
            self.pointer += 1
            self.index += 1
            if character in "\n\x85\u2028\u2029" or (character == "\r" and buffer[self.pointer] != "\n"):
                self.line += 1
                self.column = 0
            else:
                self.column += 1
            length -= 1

    def fetch_stream_end(self) -> None:
        if self.column != 0:  # libyaml: the end of the stream starts a line
            self.line += 1
            self.column = 0
        super().fetch_stream_end()

    def scan_plain(self) -> ScalarToken:
        # Scanner.scan_plain of PyYAML 6, but for a '?' or ':' in a flow collection, read as libyaml
        # reads them: a '?' does not end a plain scalar, and a ':' right before ',', '?', '[', ']',
        # '{' or '}' is an error.
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] | None = []
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                character = self.peek(length)
                if self.flow_level and character == ":" and self.peek(length + 1) in ",?[]{}":
                    self.forward(length)
                    raise ScannerError(
                        "while scanning a plain scalar", start_mark, "found unexpected ':'", self.get_mark()
                    )
                if (
                    character in _BLANK_OR_END
                    or (character == ":" and self.peek(length + 1) in _BLANK_OR_END)
                    or (self.flow_level and character in ",[]{}")
                ):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces or ())
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return ScalarToken("".join(chunks), True, start_mark, end_mark)

    def scan_tag(self) -> TagToken:
        # Scanner.scan_tag of PyYAML 6, but for its ends, found as libyaml finds them: a handle is
        # '!', '!!' or '!name!' (PyYAML took one wherever a '!' came later on), a ',', '[' or ']'
        # ends the tag but in '!<...>', and a tag may be followed by a tab, or by a ',' in a flow
        # collection.
        start_mark = self.get_mark()
        if self.peek(1) == "<":
            handle = None
            self.forward(2)
            suffix = self._scan_tag_uri(start_mark, _URI_CHARACTERS | frozenset(",[]"))
            if self.peek() != ">":
                raise ScannerError(
                    "while parsing a tag", start_mark, f"expected '>', but found {self.peek()!r}", self.get_mark()
                )
            self.forward()
        elif self.peek(1) in _BLANK_OR_END:
            handle, suffix = None, "!"
            self.forward()
        else:
            length = 1
            while self.peek(length) in _HANDLE_CHARACTERS:
                length += 1
            if self.peek(length) == "!":
                length += 1
                handle = self.prefix(length)
            else:
                handle, length = "!", 1
            self.forward(length)
            suffix = self._scan_tag_uri(start_mark, _URI_CHARACTERS)
        character = self.peek()
        if character not in _BLANK_OR_END and not (self.flow_level and character == ","):
            raise ScannerError(
                "while scanning a tag", start_mark, f"expected ' ', but found {character!r}", self.get_mark()
            )
        return TagToken((handle, suffix), start_mark, self.get_mark())

    def _scan_tag_uri(self, start_mark: Any, allowed: frozenset[str]) -> str:
        # Scanner.scan_tag_uri of PyYAML 6, with the characters allowed as an argument.
        chunks = []
        length = 0
        while (character := self.peek(length)) in allowed:
            if character == "%":
                chunks.append(self.prefix(length))
                self.forward(length)
                length = 0
                chunks.append(self.scan_uri_escapes("tag", start_mark))
            else:
                length += 1
        if length:
            chunks.append(self.prefix(length))
            self.forward(length)
        if not chunks:
            raise ScannerError(
                "while parsing a tag", start_mark, f"expected URI, but found {self.peek()!r}", self.get_mark()
            )
        return "".join(chunks)

    def scan_block_scalar_indentation(self) -> Any:
        found = super().scan_block_scalar_indentation()
        if self.peek() == "\t":  # libyaml refuses a tab in the indentation it is finding
            raise ScannerError(
                "while scanning a block scalar",
                None,
                "found a tab character where an indentation space is expected",
                self.get_mark(),
            )
        return found

    def scan_block_scalar_ignored_line(self, start_mark: Any) -> Any:
        while self.peek() in " \t":  # libyaml skips tabs too between the header and its comment
            self.forward()
        return super().scan_block_scalar_ignored_line(start_mark)

    # The parser's states for flow collections, as in PyYAML 6 but for the marks of empty keys
    # and values, which follow libyaml's parser.c.

    def parse_flow_sequence_entry_mapping_key(self) -> Any:
        self.get_token()  # the '?'
        if not self.check_token(ValueToken, FlowEntryToken, FlowSequenceEndToken):
            self.states.append(self.parse_flow_sequence_entry_mapping_value)
            return self.parse_flow_node()
        self.state = self.parse_flow_sequence_entry_mapping_value
        if self.check_token(FlowSequenceEndToken):
            return self.process_empty_scalar(self.peek_token().start_mark)
        return self.process_empty_scalar(self.get_token().end_mark)  # past the ':' or ',', as libyaml

    def parse_flow_sequence_entry_mapping_value(self) -> Any:
        if self.check_token(ValueToken):
            self.get_token()
            if not self.check_token(FlowEntryToken, FlowSequenceEndToken):
                self.states.append(self.parse_flow_sequence_entry_mapping_end)
                return self.parse_flow_node()
        self.state = self.parse_flow_sequence_entry_mapping_end
        return self.process_empty_scalar(self.peek_token().start_mark)

    def parse_flow_mapping_key(self, first: bool = False) -> Any:
        if not self.check_token(FlowMappingEndToken):
            if not first:
                if self.check_token(FlowEntryToken):
                    self.get_token()
                else:
                    token = self.peek_token()
                    raise yaml.parser.ParserError(
                        "while parsing a flow mapping",
                        self.marks[-1],
                        f"expected ',' or '}}', but got {token.id!r}",
                        token.start_mark,
                    )
            if self.check_token(KeyToken):
                self.get_token()
                if not self.check_token(ValueToken, FlowEntryToken, FlowMappingEndToken):
                    self.states.append(self.parse_flow_mapping_value)
                    return self.parse_flow_node()
                self.state = self.parse_flow_mapping_value
                return self.process_empty_scalar(self.peek_token().start_mark)
            if not self.check_token(FlowMappingEndToken):
                self.states.append(self.parse_flow_mapping_empty_value)
                return self.parse_flow_node()
        token = self.get_token()
        event = yaml.MappingEndEvent(token.start_mark, token.end_mark)
        self.state = self.states.pop()
        self.marks.pop()
        return event

    def parse_flow_mapping_value(self) -> Any:
        if self.check_token(ValueToken):
            self.get_token()
            if not self.check_token(FlowEntryToken, FlowMappingEndToken):
                self.states.append(self.parse_flow_mapping_key)
                return self.parse_flow_node()
        self.state = self.parse_flow_mapping_key
        return self.process_empty_scalar(self.peek_token().start_mark)
