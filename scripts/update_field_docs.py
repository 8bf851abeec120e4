"""Rewrite orbat/_field_docs.py (the JSON Schema's field descriptions) from docs/catalog-format.md.

Usage: python scripts/update_field_docs.py. tests/test_schema_docs.py checks the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_schema_docs import FIELD_DOCS_MODULE, FORMAT_DOC, documented_fields, field_docs_module  # noqa: E402


def main() -> None:
    docs = documented_fields(FORMAT_DOC.read_text(encoding="utf-8"))
    FIELD_DOCS_MODULE.write_text(field_docs_module(docs), encoding="utf-8")


if __name__ == "__main__":
    main()
