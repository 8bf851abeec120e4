"""Profile ``orbat.validate`` (load + full validation) on a generated catalog with cProfile.

    python benchmarks/profile_load.py --size S [--top 30] [--save benchmarks/out/S.prof]

Prints the top functions by cumulative time and by own (total) time. The catalog is generated
(or reused) as by ``bench.py``. Not named ``profile.py``: that would shadow the standard module
cProfile imports.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import ensure_catalog  # noqa: E402
from generate import SIZES  # noqa: E402

import orbat  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile orbat.validate on a generated catalog.")
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--out", type=Path, help="catalog folder (default: benchmarks/out/<size>/)")
    parser.add_argument("--top", type=int, default=30, help="rows of each listing")
    parser.add_argument("--save", type=Path, help="also write the raw profile here (for snakeviz, pstats)")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    out: Path = args.out or HERE / "out" / size.name
    ensure_catalog(size, out, regenerate=False, log=lambda m: print(m, file=sys.stderr))
    orbat.validate(out)  # warm the file cache and imports
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
