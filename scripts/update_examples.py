"""Rewrite the outputs shown in docs/examples/README.md from real runs (needs pandas; re-read the prose).

Usage: python scripts/update_examples.py. tests/test_examples.py checks the result.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_examples import README, run_destroyers, with_output  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        output = run_destroyers(Path(folder))
    README.write_text(with_output(output), encoding="utf-8")


if __name__ == "__main__":
    main()
