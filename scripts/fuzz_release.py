"""The long fuzz run for release checks (``make fuzz``): the checks of tests/test_fuzz.py over
many more generated inputs, and the limits too slow for the default test run.

Every input is checked as the default suite checks it (a catalog or located problems, never
another exception; both YAML parsers agreeing; ``orbat validate`` exiting 0/1/2 without a
traceback; generated catalogs dumping and loading back equal). Failures are counted, not
shrunk, so that the run goes on; the first few are printed with their input.

    .venv/bin/python scripts/fuzz_release.py --examples 2000

prints the number of generated inputs tried and of unexpected exceptions, and exits 1 when
there was any. ``--jobs N`` splits each kind's examples across N worker processes; with
``--seed S``, worker ``i`` (0 to N-1) uses the seed ``S * N + i``, so a run with ``--jobs 1``
repeats the run without ``--jobs`` and each worker generates its own inputs.
``--atheris SECONDS`` adds a coverage-guided run of atheris over raw bytes, when atheris is
installed (``pip install atheris``; it is not needed otherwise).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hypothesis  # noqa: E402
import test_fuzz  # noqa: E402
import test_limits  # noqa: E402
import test_roundtrip  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import orbat  # noqa: E402


class Tally:
    """Counts the inputs tried and the unexpected exceptions, keeping the first few of each kind."""

    def __init__(self, show: int) -> None:
        self.tried = 0
        self.unexpected = 0
        self.show = show
        self.kinds: collections.Counter[str] = collections.Counter()

    def run(self, name: str, check: Callable[[Any], object], value: object) -> None:
        self.tried += 1
        try:
            check(value)
        except Exception as exc:
            self.unexpected += 1
            where = traceback.extract_tb(exc.__traceback__)[-1]
            kind = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno} ({name})"
            self.kinds[kind] += 1
            if self.kinds[kind] <= self.show:
                shown = repr(value)
                shown = shown if len(shown) < 3000 else shown[:3000] + "..."
                print(f"\n--- unexpected exception in {name} for input:\n{shown}", file=sys.stderr)
                traceback.print_exc(limit=-3, file=sys.stderr)


def _check_bytes(data: bytes) -> None:
    test_fuzz.check_files({"catalog.yaml": data}, cli=True)


def _check_text(text: str) -> None:
    test_fuzz.check_files({"catalog.yaml": text.encode("utf-8")}, cli=True)


def _check_folder(files: dict[str, bytes]) -> None:
    test_fuzz.check_files(files, cli=True)


def _check_valid(catalog: orbat.Catalog) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        orbat.dump(catalog, tmp)
        result = test_fuzz.check_clear_answer(Path(tmp))
        assert result.errors == (), "\n".join(map(str, result.errors))
        assert orbat.load(tmp) == catalog


def _check_outputs(catalog: orbat.Catalog) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        orbat.dump(catalog, tmp)
        test_fuzz.check_outputs(Path(tmp))


# What to generate, and how to check each input.
TARGETS: list[tuple[str, st.SearchStrategy[Any], Callable[[Any], None]]] = [
    ("valid catalogs, dumped and loaded back", test_fuzz.catalogs(), _check_valid),
    ("valid catalogs as YAML text", test_fuzz.valid_catalog_texts(), _check_text),
    ("mutated catalogs", test_fuzz.mutated_data().flatmap(test_fuzz.yaml_texts), _check_text),
    ("damaged files", test_fuzz.mutated_texts(), _check_bytes),
    ("YAML from scratch", test_fuzz.scratch_bytes, _check_bytes),
    ("data of any shape", test_fuzz.any_data.flatmap(test_fuzz.yaml_texts), _check_text),
    ("folders of generated files", test_fuzz.any_folder, _check_folder),
    ("strings YAML 1.1 misreads, round-tripped", test_roundtrip.text_catalogs(), test_roundtrip.check_round_trip),
    ("YAML from scratch, both parsers' events", test_fuzz.scratch_texts, test_fuzz.check_same_events),
    ("valid catalogs, every output written", test_fuzz.catalogs(), _check_outputs),
]


def _fuzz_test(
    name: str, strategy: st.SearchStrategy[Any], check: Callable[[Any], None], examples: int, tally: Tally
) -> Callable[[], None]:
    @settings(
        max_examples=examples,
        phases=[Phase.explicit, Phase.generate],  # failures are counted and printed, not shrunk
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: object) -> None:
        tally.run(name, check, value)

    return run


def run_hypothesis(examples: int, tally: Tally, seed: int | None) -> None:
    for name, strategy, check in TARGETS:
        before, started = tally.tried, time.perf_counter()
        _run_kind(name, strategy, check, examples, tally, seed)
        print(f"{name}: {tally.tried - before} inputs in {time.perf_counter() - started:.1f} s", flush=True)


def _run_kind(
    name: str,
    strategy: st.SearchStrategy[Any],
    check: Callable[[Any], None],
    examples: int,
    tally: Tally,
    seed: int | None,
) -> None:
    run = _fuzz_test(name, strategy, check, examples, tally)
    if seed is not None:
        run = hypothesis.seed(seed)(run)
    run()


def _worker(index: int, examples: int, seed: int | None, show: int) -> tuple[int, int, dict[str, int]]:
    """One worker's share of one kind of input (TARGETS[index]): its tried, unexpected and kinds."""
    tally = Tally(show)
    name, strategy, check = TARGETS[index]
    _run_kind(name, strategy, check, examples, tally, seed)
    return tally.tried, tally.unexpected, dict(tally.kinds)


def run_hypothesis_jobs(examples: int, tally: Tally, seed: int | None, jobs: int) -> None:
    """Each kind's examples split across ``jobs`` processes, worker i seeded ``seed * jobs + i``."""
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        started = time.perf_counter()
        futures = [
            [
                pool.submit(
                    _worker,
                    index,
                    examples // jobs + (1 if worker < examples % jobs else 0),
                    None if seed is None else seed * jobs + worker,
                    tally.show,
                )
                for worker in range(jobs)
            ]
            for index in range(len(TARGETS))
        ]
        for (name, _, _), shares in zip(TARGETS, futures, strict=True):
            before = tally.tried
            for share in shares:
                tried, unexpected, kinds = share.result()
                tally.tried, tally.unexpected = tally.tried + tried, tally.unexpected + unexpected
                tally.kinds.update(kinds)
            print(f"{name}: {tally.tried - before} inputs, done at {time.perf_counter() - started:.1f} s", flush=True)


def run_atheris(seconds: float, tally: Tally) -> None:
    """Coverage-guided fuzzing of raw file bytes with atheris (libFuzzer), in a child process:
    libFuzzer ends the process it runs in."""
    try:
        import atheris  # type: ignore[import-not-found,import-untyped,unused-ignore]  # noqa: F401
    except ImportError:
        print("atheris is not installed: skipped (pip install atheris)", flush=True)
        return
    completed = subprocess.run(
        [sys.executable, __file__, "--atheris-child", str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    found = re.search(r"^atheris: (\d+) inputs, (\d+) unexpected", completed.stdout, re.MULTILINE)
    if found is None:
        print(f"atheris ended without a tally (exit {completed.returncode}); counted as one failure", flush=True)
        tally.tried, tally.unexpected = tally.tried + 1, tally.unexpected + 1
        return
    tried, unexpected = int(found[1]), int(found[2])
    tally.tried, tally.unexpected = tally.tried + tried, tally.unexpected + unexpected
    print(f"atheris: {tried} inputs, {unexpected} unexpected", flush=True)


def atheris_child(seconds: float, show: int) -> None:
    """Runs in the child: fuzz until ``seconds`` have passed, print the tally, and end."""
    import atheris  # type: ignore[import-not-found,import-untyped,unused-ignore]

    tally = Tally(show)
    deadline: list[float] = []  # set at the first input: instrumenting takes a while

    def one_input(data: bytes) -> None:
        if not deadline:
            deadline.append(time.monotonic() + seconds)
        if time.monotonic() > deadline[0]:
            print(f"atheris: {tally.tried} inputs, {tally.unexpected} unexpected", flush=True)
            os._exit(0)
        tally.run("atheris bytes", _check_bytes_quietly, data)

    atheris.instrument_all()  # orbat and PyYAML are imported already: instrument what is loaded
    atheris.Setup([sys.argv[0], "-rss_limit_mb=4096", "-max_len=4096"], one_input)
    atheris.Fuzz()


def _check_bytes_quietly(data: bytes) -> None:
    test_fuzz.check_files({"catalog.yaml": data})


def run_limits() -> None:
    """The limits too slow for the default test run, with their times."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "million.yaml"
        test_limits.write_tiny_entries(path, 1_000_000)
        seconds, result = test_limits.timed(lambda: orbat.validate(path))
        assert result.errors == (), result.errors[:3]
        assert result.catalog is not None and len(result.catalog.places) == 1_000_000
        print(f"a file of a million tiny entries ({path.stat().st_size:,} bytes): valid, {seconds:.1f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=500, help="generated inputs per kind of input (default 500)")
    parser.add_argument("--seed", type=int, help="hypothesis seed, to repeat a run")
    parser.add_argument(
        "--jobs", type=int, default=1, help="worker processes sharing each kind's examples (seeds SEED*JOBS+i)"
    )
    parser.add_argument("--atheris", type=float, default=0, metavar="SECONDS", help="also run atheris this long")
    parser.add_argument("--no-limits", action="store_true", help="skip the million-entry file")
    parser.add_argument("--show", type=int, default=5, help="print the first SHOW unexpected exceptions")
    parser.add_argument("--atheris-child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.atheris_child:
        atheris_child(args.atheris_child, args.show)
        return 0
    tally = Tally(args.show)
    started = time.perf_counter()
    if args.jobs > 1:
        run_hypothesis_jobs(args.examples, tally, args.seed, args.jobs)
    else:
        run_hypothesis(args.examples, tally, args.seed)
    if args.atheris:
        run_atheris(args.atheris, tally)
    if not args.no_limits:
        run_limits()
    for kind, count in tally.kinds.most_common():
        print(f"  {count} x {kind}")
    print(f"generated inputs tried: {tally.tried}")
    print(f"unexpected exceptions: {tally.unexpected}")
    print(f"time: {time.perf_counter() - started:.0f} s")
    return 1 if tally.unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
