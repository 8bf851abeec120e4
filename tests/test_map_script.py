"""scripts/map_deployment.py: the map of a date's deployment, drawn without network or coastline."""

from __future__ import annotations

import importlib.util
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

import orbat
from orbat.queries import snapshot

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("map_deployment", ROOT / "scripts" / "map_deployment.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["map_deployment"] = module
    spec.loader.exec_module(module)
    return module


SCRIPT = load_script()


@pytest.mark.parametrize("day", ["2025-09-15", "2025-11-20"])
def test_every_unit_present_has_a_mark(day: str) -> None:
    catalog = orbat.load(ROOT / "catalog")
    root = ET.fromstring(SCRIPT.draw(catalog, day, None, with_coastline=False))
    marks = {title.text for title in root.iter(f"{SVG}title")}
    snap = snapshot(catalog, day)
    present = [s for s in snap.states if snap.possibly_here(s)]
    located = [s for s in present if s.place and catalog.places[s.place].position is not None]
    assert len(marks) == len(located) > 0
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert f"on {day}: {snap.vessels()} vessels and {snap.aircraft()} aircraft" in text
    for state in present:
        assert state.unit.label.split(" (")[0] in text, state.unit_id  # listed, on the map or under it
    hollow = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "white" and c.find(f"{SVG}title") is not None]
    assert len(hollow) == sum(1 for s in located if not snap.certainly_here(s))


def test_catalog_text_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(
        """sources:
  - {id: s, title: T, publisher: P, date: 2025-01-02}
places:
  - {id: sea, name: "<script>alert(1)</script> Sea", kind: sea, position: [10.0, -60.0]}
vessels:
  - {id: v, name: "USS <b>V</b> & co", hull: DDG-1, navy: USN}
events:
  - {date: 2025-01-01, kind: arrived, units: [v], place: sea, cite: s}
""",
        encoding="utf-8",
    )
    svg = SCRIPT.draw(orbat.load(tmp_path), None, "all", with_coastline=False)
    root = ET.fromstring(svg)  # well-formed
    assert "<script" not in svg and "<b>" not in svg
    assert any("USS <b>V</b> & co" in (t.text or "") for t in root.iter(f"{SVG}text"))


def test_command_needs_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        SCRIPT.main([])
    assert stopped.value.code == 2
    assert "give --svg FILE, --png FILE or both" in capsys.readouterr().err


def test_command_writes_svg(tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    assert SCRIPT.main(["--as-of", "2025-11-20", "--no-coastline", "--svg", str(out)]) == 0
    assert ET.parse(out).getroot().tag == f"{SVG}svg"
