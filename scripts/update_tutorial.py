"""Rewrite the outputs shown in docs/tutorial.md from real runs (the prose must then be re-read).

Usage: python scripts/update_tutorial.py [DOC]. DOC defaults to docs/tutorial.md (checked by
tests/test_tutorial.py); docs/catalog-caribbean-2025.md follows the same conventions (checked by
tests/test_bundled_catalog.py).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_tutorial import FENCE, TUTORIAL, run_command, run_example  # noqa: E402


def main(doc: Path = TUTORIAL) -> None:
    lines = doc.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    i = 0
    pending_python: str | None = None
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if not fence or not fence.group(1):
            out.append(lines[i])
            i += 1
            continue
        lang, start = fence.group(1), i
        end = next(j for j in range(i + 1, len(lines)) if FENCE.match(lines[j]) and not FENCE.match(lines[j]).group(1))  # type: ignore[union-attr]
        body = lines[i + 1 : end]
        if lang == "console":
            new_body: list[str] = []
            for line in body:
                if line.startswith("$ "):
                    output, status = run_command(tuple(shlex.split(line[2:])))
                    new_body += [line, *output.splitlines()]
                    if status:
                        new_body.append(f"[exit status {status}]")
            body = new_body
        elif lang == "python":
            pending_python = "\n".join(body) + "\n"
        elif lang == "text" and pending_python is not None:
            body = run_example(pending_python, start + 1).splitlines()
            pending_python = None
        out += [lines[i], *body, lines[end]]
        i = end + 1
    doc.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else TUTORIAL)
