"""Golden report of the bundled catalog at three dates (the default date, 2025-11-04 and 2025-11-20): the
headline, the disputes section and a row that rests on a dispute, in text and in JSON.

The expected output is kept in ``tests/golden/report-*.txt`` and ``*.json``. When the report or the
catalog changes on purpose, read the new output against the sources (``docs/catalog-caribbean-2025.md``)
and, only if it is right, write it with ``ORBAT_UPDATE_GOLDEN=1 pytest tests/test_report_golden.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import orbat
from orbat.queries import snapshot
from orbat.rendering import render_report
from orbat.report import Report, build_report

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
MARKED = "F-35B of VMFA-225"  # the row resting on the sources' dispute over its base
UPDATE = os.environ.get("ORBAT_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def catalog() -> orbat.Catalog:
    return orbat.load(ROOT / "catalog")


def default_date(catalog: orbat.Catalog) -> str:
    latest = catalog.latest_source_date
    assert latest is not None
    return latest.end.isoformat()


def report_of(catalog: orbat.Catalog, name: str) -> Report:
    day = default_date(catalog) if name == "default" else name
    return build_report(snapshot(catalog, day))


def text_parts(report: Report) -> str:
    """The headline, the row resting on a dispute (with its table's header) and the disputes section."""
    blocks = render_report(report).split("\n\n")
    headline = blocks[0]
    (disputes,) = [b for b in blocks if b.startswith("Disputes between sources")]
    (table,) = [b for b in blocks if f"\n{MARKED} " in b]
    lines = table.splitlines()
    row = [line for line in lines if line.startswith(f"{MARKED} ")]
    marked = "\n".join([*lines[:3], *row])
    return f"{headline}\n\n{marked}\n\n{disputes}\n"


def json_parts(report: Report) -> str:
    data = report.to_json()
    rows = [row for section in ("vessels", "aircraft", "bound", "outside", "other") for row in data[section]]  # type: ignore[attr-defined]
    (marked,) = [row for row in rows if row["name"] == MARKED]
    parts = {"title": data["title"], "headline": data["headline"], "marked_row": marked, "disputes": data["disputes"]}
    return json.dumps(parts, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", ["default", "2025-11-04", "2025-11-20"])
@pytest.mark.parametrize("form", ["txt", "json"])
def test_golden_report(catalog: orbat.Catalog, name: str, form: str) -> None:
    report = report_of(catalog, name)
    assert report.disputes, "the golden dates are chosen for their disputes"
    assert any(row.disputes for row in (*report.vessels, *report.aircraft) if row.name == MARKED)
    found = text_parts(report) if form == "txt" else json_parts(report)
    path = GOLDEN / f"report-{name}.{form}"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(found, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert found == expected, (
        f"the report differs from {path.relative_to(ROOT)}; if the new output is right per the sources, "
        "run ORBAT_UPDATE_GOLDEN=1 pytest tests/test_report_golden.py"
    )
