"""The JSON Schema's field descriptions are the Meaning column of docs/catalog-format.md, every
field has one, and errors read well: validating bad documents, the error a checker shows first
(``jsonschema.exceptions.best_match``) says what is wrong with the value given."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema.exceptions import best_match

from orbat._field_docs import FIELD_DOCS
from orbat.loading import SECTIONS
from orbat.schema import _ENTRIES, catalog_schema, entry_fields

ROOT = Path(__file__).resolve().parent.parent
FORMAT_DOC = ROOT / "docs" / "catalog-format.md"
FIELD_DOCS_MODULE = ROOT / "orbat" / "_field_docs.py"

_HEADING = re.compile(r"^### .*\(`(\w+)`\)\s*$")
_NESTED = {"A **figure** is a mapping:": "figure", "A **claim figure** is a mapping:": "claim_figure"}
_TABLE_HEADER = "| Field | Type | Required | Meaning |"


def _plain(markdown: str) -> str:
    """Table text without Markdown: links as their text, no code marks or emphasis."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return text.replace("`", "").replace("**", "").strip()


def documented_fields(text: str) -> dict[str, dict[str, str]]:
    """Entry ($defs name) -> field -> the Meaning column of its table in the format document."""
    def_of_class = {cls: name for name, cls in _ENTRIES.items()}
    def_of_section = {section: def_of_class[cls] for section, (_kind, cls) in SECTIONS.items()}
    docs: dict[str, dict[str, str]] = {}
    current: str | None = None
    in_table = False
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = def_of_section.get(heading.group(1))
        elif line.startswith("### Citations"):
            current = "citation_entry"
        elif line.startswith(("## ", "### ")):
            current = None
        elif line.strip() in _NESTED:
            current = _NESTED[line.strip()]
        if line.startswith(_TABLE_HEADER):
            in_table = True
            continue
        if in_table and line.startswith("|---"):
            continue
        if in_table and line.startswith("| "):
            cells = line.strip().strip("|").split(" | ")
            assert len(cells) == 4, f"{FORMAT_DOC.name}: a field row with {len(cells)} cells: {line}"
            assert current is not None, f"{FORMAT_DOC.name}: a field table outside an entry's section: {line}"
            docs.setdefault(current, {})[cells[0].strip().strip("`")] = _plain(cells[3])
            continue
        in_table = False
    return docs


def _literal(text: str, indent: int) -> str:
    """A Python string literal for ``text``, split over lines of at most about 110 characters."""
    chunks = textwrap.wrap(text, width=110 - indent, drop_whitespace=False, break_on_hyphens=False)
    if len(chunks) <= 1:
        return _quoted(text)
    pad = " " * indent
    return "(\n" + "".join(f"{pad}    {_quoted(chunk)}\n" for chunk in chunks) + f"{pad})"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a valid Python literal too, in double quotes


def field_docs_module(docs: dict[str, dict[str, str]]) -> str:
    """The text of orbat/_field_docs.py for ``docs``."""
    lines = [
        '"""The Meaning column of every field table in docs/catalog-format.md: the JSON Schema\'s field',
        "descriptions. Written by scripts/update_field_docs.py from the document; do not edit by hand.",
        '"""',
        "",
        '__all__ = ["FIELD_DOCS"]',
        "",
        "FIELD_DOCS: dict[str, dict[str, str]] = {",
    ]
    for entry, fields in docs.items():
        lines.append(f"    {_quoted(entry)}: {{")
        lines += [f"        {_quoted(field)}: {_literal(text, 8)}," for field, text in fields.items()]
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Descriptions


def test_field_docs_are_the_documents() -> None:
    docs = documented_fields(FORMAT_DOC.read_text(encoding="utf-8"))
    assert docs == FIELD_DOCS, "run scripts/update_field_docs.py after editing a field table of docs/catalog-format.md"
    assert FIELD_DOCS_MODULE.read_text(encoding="utf-8") == field_docs_module(docs)


def test_every_field_is_documented_and_described() -> None:
    schema = catalog_schema()
    missing = []
    for name, cls in _ENTRIES.items():
        for field in sorted(entry_fields(cls)):
            expected = FIELD_DOCS.get(name, {}).get(field)
            if expected is None:
                missing.append(f"{name}.{field}")
                continue
            assert schema["$defs"][name]["properties"][field]["description"] == expected
        assert set(FIELD_DOCS.get(name, {})) <= entry_fields(cls), f"{name}: documented fields it does not read"
    assert missing == [], "fields docs/catalog-format.md does not describe (add a row to the entry's table)"


def test_documented_fields_parser() -> None:
    text = "\n".join(
        [
            "### Places (`places`)",
            "",
            _TABLE_HEADER,
            "|---|---|---|---|",
            "| `id` | text | yes | the place's id |",
            "| `kind` | one of: `sea` | yes | see [the kinds](#kinds), **all** of them |",
            "",
            "A **figure** is a mapping:",
            "",
            _TABLE_HEADER,
            "|---|---|---|---|",
            "| `count` | count | yes | the number |",
        ]
    )
    assert documented_fields(text) == {
        "place": {"id": "the place's id", "kind": "see the kinds, all of them"},
        "figure": {"count": "the number"},
    }
    long = "a " * 80
    namespace: dict[str, Any] = {}
    exec(field_docs_module({"place": {"note": long}}), namespace)
    assert namespace["FIELD_DOCS"] == {"place": {"note": long}}


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.fixture(scope="module")
def checker() -> jsonschema.Draft202012Validator:
    """A validator with format checking on, as check-jsonschema runs by default."""
    schema = catalog_schema()
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def first_error(validator: jsonschema.Draft202012Validator, document: Any) -> str:
    error = best_match(validator.iter_errors(document))
    assert error is not None, "the document is valid"
    return f"{error.json_path}: {error.message}"


EVENT = {"date": "2025-10-01", "kind": "arrived", "units": ["x"], "place": "p", "cite": "s"}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"events": [{**EVENT, "date": "last week"}]}, "$.events[0].date: 'last week' is not a 'date'"),
        ({"events": [{**EVENT, "date": "2025-13"}]}, "$.events[0].date: '2025-13' is not a 'date'"),
        ({"events": [{**EVENT, "date": "2025-02-30"}]}, "$.events[0].date: '2025-02-30' is not a 'date'"),
        ({"events": {**EVENT, "date": "Oct. 1"}}, "$.events.date: 'Oct. 1' is not a 'date'"),
        ({"events": [{**EVENT, "date": 12}]}, "$.events[0].date: 12 is less than the minimum of 1000"),
        ({"events": [{**EVENT, "date": [2025]}]}, "$.events[0].date: [2025] is not of type 'integer', 'string'"),
        ({"vessels": [{"id": "x", "name": "X", "hull": "DDG-1"}]}, "$.vessels[0]: 'navy' is a required property"),
        ({"vessels": {"id": "x", "name": "X", "hull": "DDG-1"}}, "$.vessels: 'navy' is a required property"),
        ({"vessels": [{"id": "x", "name": "X", "navy": "n"}]}, "$.vessels[0]: 'type' is a required property"),
        ({"vessels": "x"}, "$.vessels: 'x' is not of type 'array', 'object', 'null'"),
        ({"events": [{k: v for k, v in EVENT.items() if k != "place"}]}, "$.events[0]: 'place' is a required property"),
        ({"events": [{**EVENT, "cite": [{"quote": "q"}]}]}, "$.events[0].cite[0]: 'source' is a required property"),
        ({"events": [{**EVENT, "cite": {"quote": "q"}}]}, "$.events[0].cite: 'source' is a required property"),
        ({"events": [{**EVENT, "cite": []}]}, "$.events[0].cite: [] should be non-empty"),
        ({"events": [{**EVENT, "units": [1]}]}, "$.events[0].units[0]: 1 is not of type 'string'"),
        (
            {"events": [{k: v for k, v in EVENT.items() if k != "place"} | {"kind": "departed"}]},
            "$.events[0]: 'to' is a required property",
        ),
        (
            {"places": [{"id": "x", "name": "X", "kind": "sea", "within": 3}]},
            "$.places[0].within: 3 is not of type 'string'",
        ),
        (
            {"unidentified": [{"id": "u", "type": "DDG", "count": 3, "navy": "n", "cite": "s", "description": 4}]},
            "$.unidentified[0].description: 4 is not of type 'string'",
        ),
    ],
)
def test_the_first_error_says_what_is_wrong(
    checker: jsonschema.Draft202012Validator, document: Any, message: str
) -> None:
    assert first_error(checker, document) == message


def test_without_format_checking_a_bad_date_still_fails_on_its_syntax() -> None:
    plain = jsonschema.Draft202012Validator(catalog_schema())
    assert first_error(plain, {"events": [{**EVENT, "date": "last week"}]}).startswith(
        "$.events[0].date: 'last week' does not match "
    )
    assert list(plain.iter_errors({"events": [{**EVENT, "date": "2025-02-30"}]})) == []  # the calendar: orbat validate


def test_editor_messages_for_dates_and_counts() -> None:
    """yaml-language-server shows ``patternErrorMessage``/``errorMessage`` instead of a regular expression."""
    defs = catalog_schema()["$defs"]
    assert defs["date"]["errorMessage"].startswith("not a date: write a year (2025)")
    assert defs["date"]["else"]["else"]["patternErrorMessage"] == defs["date"]["errorMessage"]
    assert defs["count"]["else"]["patternErrorMessage"].startswith("not a count: ")


def test_no_alternatives_bury_an_error() -> None:
    """No anyOf or oneOf outside an ``if``: alternatives are conditions, so errors are not buried."""

    def walk(node: Any, inside_if: bool) -> None:
        if isinstance(node, dict):
            assert inside_if or not {"anyOf", "oneOf"} & set(node), node
            for key, value in node.items():
                walk(value, inside_if or key == "if")
        elif isinstance(node, list):
            for value in node:
                walk(value, inside_if)

    walk(catalog_schema(), False)


def test_bundled_files_pass_with_format_checking(checker: jsonschema.Draft202012Validator) -> None:
    from test_schema import CATALOG_FILES, read_yaml

    assert len(CATALOG_FILES) > 10
    for path in CATALOG_FILES:
        assert [e.message for e in checker.iter_errors(read_yaml(path.read_text(encoding="utf-8")))] == [], path
