"""Profile ``orbat.validate`` (load + full validation) on a generated catalog.

    python benchmarks/profile_load.py --size S [--top 30] [--save benchmarks/out/S.prof]
    python benchmarks/profile_load.py --size M --phases [--repeat 3]

By default, prints the top functions by cumulative time and by own (total) time under cProfile.
With ``--phases``, times the parts of one ``orbat.validate`` call without a profiler, by wrapping
the loader's private per-file functions: unlike parts timed one at a time, this shows what each
costs on the heap of a whole load. The catalog is generated (or reused) as by ``bench.py``. Not
named ``profile.py``: that would shadow the standard module cProfile imports.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import catalog_paths, ensure_catalog, floor, measure  # noqa: E402
from generate import SIZES  # noqa: E402

import orbat  # noqa: E402
from orbat import loading, validation  # noqa: E402

# The parts of one validate call: (label, module, function). Each is called once per file but for
# the checks, so wrapping adds a few microseconds in all.
PHASES = (
    ("reading the files", loading, "_read_file"),
    ("decoding and character scans", loading, "prepare_text"),
    ("fast path: lines to mappings", loading, "read_lines"),
    ("fast path: events to mappings", loading, "read_fast"),
    ("typed entries from the mappings", loading, "_entries_of"),
    ("duplicate ids, entries by section", loading, "_add_entries"),
    ("source texts", loading, "_read_source_texts"),
    ("semantic checks", validation, "check"),
)


@contextlib.contextmanager
def timed_phases(seconds: dict[str, float]) -> Iterator[None]:
    """Adds the CPU seconds spent in each of PHASES (and per file in all) to ``seconds``."""
    originals: list[tuple[Any, str, Callable[..., Any]]] = []

    def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[label] = seconds.get(label, 0.0) + time.process_time() - start

        return wrapper

    targets = [*PHASES, ("per file in all", loading, "_read_catalog_file")]
    try:
        for label, module, name in targets:
            original = getattr(module, name)
            originals.append((module, name, original))
            setattr(module, name, timed(label, original))
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


def print_phases(out: Path, repeat: int) -> None:
    """The parts of the fastest of ``repeat`` validate calls, in CPU seconds."""
    best: tuple[float, dict[str, float]] | None = None
    for _ in range(repeat):
        seconds: dict[str, float] = {}
        start = time.process_time()
        with timed_phases(seconds):
            result = orbat.validate(out)
        total = time.process_time() - start
        del result  # freed after the timing, as a caller keeps what it loads
        if best is None or total < best[0]:
            best = (total, seconds)
    assert best is not None
    total, seconds = best
    texts = [path.read_text(encoding="utf-8") for path in catalog_paths(out)]
    floor_s = measure(lambda: floor(texts), repeat)[1]  # CPU seconds, as the parts
    per_file = seconds.pop("per file in all", 0.0)
    after_files = ("source texts", "semantic checks")
    in_files = sum(value for label, value in seconds.items() if label not in after_files)
    rows = [(label, seconds.get(label, 0.0)) for label, _, _ in PHASES]
    rows.insert(6, ("per file, the rest (freeing each file's mappings)", per_file - in_files))
    rest = total - per_file - sum(seconds.get(label, 0.0) for label in after_files)
    rows.append(("the rest (the catalog, events in date order, ...)", rest))
    print(f"# parts of orbat.validate({out}), CPU seconds, the fastest of {repeat} (x: of the libyaml event floor)")
    for label, value in rows:
        print(f"  {label:52} {value:7.3f}  {100 * value / total:5.1f}%  {value / floor_s:5.2f}x")
    print(f"  {'total':52} {total:7.3f}  {'':6}  {total / floor_s:5.2f}x")
    print(f"  {'the libyaml event floor, same files':52} {floor_s:7.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile orbat.validate on a generated catalog.")
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--out", type=Path, help="catalog folder (default: benchmarks/out/<size>/)")
    parser.add_argument("--top", type=int, default=30, help="rows of each listing")
    parser.add_argument("--save", type=Path, help="also write the raw profile here (for snakeviz, pstats)")
    parser.add_argument("--phases", action="store_true", help="time the parts of validate, without cProfile")
    parser.add_argument("--repeat", type=int, default=3, help="with --phases: calls to time (the fastest is shown)")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    out: Path = args.out or HERE / "out" / size.name
    ensure_catalog(size, out, regenerate=False, log=lambda m: print(m, file=sys.stderr))
    orbat.validate(out)  # warm the file cache and imports
    if args.phases:
        print_phases(out, args.repeat)
        return 0
    profiler = cProfile.Profile()
    profiler.enable()
    result = orbat.validate(out)
    profiler.disable()
    print(f"# orbat.validate({out}): {len(result.errors)} errors, {len(result.warnings)} warnings")
    if args.save:
        profiler.dump_stats(str(args.save))
    for order in ("cumulative", "tottime"):
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"\n## sorted by {order}\n")
        print(stream.getvalue().split("\n\n", 1)[-1].rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
