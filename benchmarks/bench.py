"""Benchmark orbat on a synthetic world catalog: parsing floor, load, validation, memory, queries.

    python benchmarks/bench.py --size S            # a readable report
    python benchmarks/bench.py --size M --json     # one JSON object with every figure

The catalog is made by ``benchmarks/generate.py`` into ``benchmarks/out/<size>/`` and reused
while the generator (and size and seed) stay the same. Every time is wall-clock
(``time.perf_counter``), the best of ``--repeat`` runs for the parts that take seconds or less;
``cpu_*`` figures are the process CPU time of that same run, which other load on the machine
disturbs less. Memory is measured in fresh child processes, one per figure, so that nothing else
the benchmark did counts towards it.

This is not part of the test suite; nothing here asserts. Targets (for M) are printed as met or
missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import SIZES, Size, generate, generator_hash  # noqa: E402

import orbat  # noqa: E402
from orbat import loading  # noqa: E402
from orbat._gc import gc_paused  # noqa: E402
from orbat.catalog import Catalog  # noqa: E402

TARGETS = {
    # key: (figure, limit, description)
    "load_validate": ("ratio_validate_to_floor", 2.0, "load + full validation within 2x the libyaml event floor"),
    "memory": ("validate_maxrss_mb", 600.0, "peak memory of load + validation under 600 MB (peak RSS)"),
    "as_of_first": ("as_of_first_s", 0.5, "the first query of a fresh catalog (the index it builds) under 0.5 s"),
    "as_of": ("as_of_ms_per_date", 1.0, "as_of under 1 ms per new date after the first"),
    "changes": ("changes_ms_per_pair", 50.0, "changes under 50 ms per pair"),
    "report": ("report_s", 1.0, "report (build_report + render_report) under 1 s"),
}

Timing = tuple[float, float]  # wall seconds, CPU seconds


def measure(
    fn: Callable[[], object], repeat: int, budget: float = 20.0, before: Callable[[], object] | None = None
) -> Timing:
    """The best (wall, CPU) of up to ``repeat`` runs; stops repeating once a run exceeds ``budget`` seconds.

    ``before`` runs untimed before each run: to drop the previous run's result, say, whose freeing
    is no part of what is measured.
    """
    best: Timing | None = None
    for _ in range(max(repeat, 1)):
        if before is not None:
            before()
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        timing = (time.perf_counter() - wall, time.process_time() - cpu)
        if best is None or timing[0] < best[0]:
            best = timing
        if timing[0] > budget:
            break
    assert best is not None
    return best


# ---------------------------------------------------------------------------------------------
# The catalog


def ensure_catalog(size: Size, out: Path, regenerate: bool, log: Callable[[str], None]) -> dict[str, Any]:
    """The manifest of the catalog in ``out``, generating it unless an identical one is there."""
    manifest_path = out / "manifest.json"
    wanted = generator_hash(size)
    if not regenerate and manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("generator_hash") == wanted:
            log(f"reusing {out} (generator {wanted})")
            return manifest
    log(f"generating {size.name} into {out} ...")
    start = time.perf_counter()
    manifest = generate(size, out)
    log(f"  generated in {time.perf_counter() - start:.1f} s")
    return manifest


def catalog_paths(out: Path) -> list[Path]:
    """Every YAML file orbat reads for this catalog: its built-in reference data, then the folder."""
    return loading.catalog_files([loading.REFERENCE_FOLDER]) + loading.catalog_files([out])


# ---------------------------------------------------------------------------------------------
# Parsing and loading


def floor(texts: Sequence[str]) -> None:
    """The libyaml event stream alone: the least any YAML loader built on libyaml can do."""
    for text in texts:
        for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
            pass


def yaml_load_c(texts: Sequence[str]) -> None:
    for text in texts:
        yaml.load(text, Loader=yaml.CSafeLoader)


def yaml_safe_load(texts: Sequence[str]) -> None:
    for text in texts:
        yaml.safe_load(text)


def orbat_reading(paths: Sequence[Path]) -> None:
    """orbat's fast path of reading, lines (or else events) into mappings with their positions,
    nothing more (what the located tree would cost instead is in docs/performance.md)."""
    from orbat._fast import Unusual, read_fast, read_lines
    from orbat._nodes import prepare_text

    problems: list[orbat.Problem] = []
    limits = loading.DEFAULT_LIMITS
    with gc_paused():  # as validate does
        for path in paths:
            text = prepare_text(str(path), path.read_bytes(), limits, problems)
            if text is None:
                continue
            try:
                read_lines(str(path), text, limits.max_depth)
            except Unusual:
                read_fast(str(path), text, limits.max_depth)


def orbat_build(paths: Sequence[Path]) -> Catalog:
    """What :func:`orbat.validate` does before its semantic checks: reading, typed entries (with
    their field-level checks), source texts and the Catalog. Uses orbat's private helpers."""
    problems: list[orbat.Problem] = []
    entries = loading._Entries()
    # All of it with collection paused, as validate does: sorting the events with collection on
    # set off a full collection of the two million objects just read (0.6 s on M).
    with gc_paused():
        for path in paths:
            loading._read_catalog_file(path, loading.DEFAULT_LIMITS, entries, problems)
        sections = entries.by_section
        source_texts = loading._read_source_texts(sections["sources"], problems)
        fields: dict[str, Any] = {name: {e.id: e for e in sections[name]} for name in loading.SECTIONS}
        fields["events"] = tuple(sorted(sections["events"], key=loading._event_order))
        if "settings" in fields:  # one entry, not a mapping of them
            found = sections["settings"]
            fields["settings"] = found[0] if found else orbat.model.Settings()
        return Catalog(**fields, source_texts=source_texts)


def files_read_by_tree(paths: Sequence[Path]) -> int:
    """How many files the fast path left to the located tree (none, in a plain catalog)."""
    read: list[str] = []
    original = loading._read_sections

    def counted(file: str, *args: Any) -> None:
        read.append(file)
        original(file, *args)

    loading._read_sections = counted  # type: ignore[assignment]
    try:
        orbat.validate(paths)
    finally:
        loading._read_sections = original
    return len(read)


def orbat_check(catalog: Catalog) -> int:
    from orbat.validation import check

    with gc_paused():  # as validate does
        return len(check(catalog))


# ---------------------------------------------------------------------------------------------
# Memory, in child processes


def peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM, which (unlike ru_maxrss) does not carry over the
    parent's peak into a child started by fork and exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, out: Path) -> dict[str, float]:
    """Run one measurement in this (fresh) process: ``validate``, ``validate-tracemalloc`` or ``yaml-c``."""
    before = peak_rss_mb()
    start = time.perf_counter()
    result: dict[str, float] = {"rss_before_mb": before}
    if mode == "validate-tracemalloc":
        tracemalloc.start()
        loaded = orbat.validate(out)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result.update(traced_peak_mb=peak / 2**20, traced_retained_mb=current / 2**20)
        assert loaded.catalog is not None
    elif mode == "validate":
        cpu = time.process_time()
        loaded = orbat.validate(out)
        result["cpu_seconds"] = time.process_time() - cpu
        assert loaded.catalog is not None
    elif mode == "yaml-c":
        texts = [p.read_text(encoding="utf-8") for p in catalog_paths(out)]
        docs = [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts]
        assert docs
    else:
        raise SystemExit(f"unknown child mode {mode!r}")
    result["seconds"] = time.perf_counter() - start
    result["maxrss_mb"] = peak_rss_mb()
    return result


def run_child(mode: str, out: Path) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    data: dict[str, float] = json.loads(completed.stdout)
    return data


# ---------------------------------------------------------------------------------------------
# Queries


def query_dates(catalog: Catalog, n: int) -> list[dt.date]:
    """``n`` days spread evenly over the catalog's events, in a shuffled (deterministic) order."""
    first = min(e.date.start for e in catalog.events)
    last = max(e.date.end for e in catalog.events)
    span = (last - first).days
    days = [first + dt.timedelta(days=round(i * span / max(n - 1, 1))) for i in range(n)]
    random.Random(1).shuffle(days)
    return days


def timed_loop(items: Sequence[Any], fn: Callable[[Any], object], budget: float) -> tuple[float, float, int]:
    """Total wall and CPU seconds of ``fn`` over ``items``, stopping after ``budget`` seconds."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    done = 0
    for item in items:
        fn(item)
        done += 1
        if time.perf_counter() - wall > budget:
            break
    return time.perf_counter() - wall, time.process_time() - cpu, done


def report_text(catalog: Catalog, region: str | None) -> str:
    """What ``orbat report`` prints, without the loading: the newest source date, in ``region``."""
    from orbat.queries import snapshot
    from orbat.rendering import render_report
    from orbat.report import build_report

    latest = catalog.latest_source_date
    assert latest is not None
    day = latest.isoformat().lstrip("~").split("/")[-1]
    return render_report(build_report(snapshot(catalog, day, region)))


def report_command(out: Path) -> None:
    """``orbat report`` on the catalog, as a user runs it: a fresh process that loads, reports and
    exits (the timed queries above run after a collection that a fresh process does not make)."""
    subprocess.run([sys.executable, "-m", "orbat", "report", str(out)], check=True, stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------------------------------------
# The machine


def _source_hash(package: Path) -> str:
    """A hash of orbat's Python sources as run: the working tree may differ from any commit."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def environment() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo")
    total_mb = None
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                total_mb = int(line.split()[1]) // 1024
    try:
        from yaml import _yaml

        libyaml_version: str | None = _yaml.get_version_string()
    except ImportError:
        libyaml_version = None
    repo = HERE.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "-C", str(repo), "status", "--porcelain", "--", "orbat"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", False
    return {
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_mb": total_mb,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "libyaml_version": libyaml_version,
        "orbat": getattr(orbat, "__version__", "?"),
        "orbat_commit": commit,
        "orbat_uncommitted_changes": dirty,
        "orbat_source_sha256": _source_hash(Path(orbat.__file__).parent),
        "loadavg_start": os.getloadavg(),
    }


# ---------------------------------------------------------------------------------------------


def private_phases(
    paths: Sequence[Path],
    repeat: int,
    record: Callable[[str, Timing], None],
    log: Callable[[str], None],
) -> None:
    """Load without semantic validation, and validation alone, through orbat's private helpers."""
    log("orbat: reading only (the fast path, no entries) ...")
    record("orbat_reading", measure(lambda: orbat_reading(paths), repeat))
    log("orbat: load without semantic validation ...")
    # Each run drops the previous result first, untimed: a larger live heap makes every garbage
    # collection slower, which would bias later repeats, and freeing it is no part of loading.
    built: list[Catalog] = []
    record("orbat_build", measure(lambda: built.append(orbat_build(paths)), repeat, before=built.clear))
    log("orbat: semantic validation alone ...")
    record("orbat_check", measure(lambda: orbat_check(built[-1]), repeat))
    built.clear()


def run(args: argparse.Namespace) -> dict[str, Any]:
    size = SIZES[args.size]
    out: Path = args.out or HERE / "out" / size.name
    quiet = args.json

    def log(message: str) -> None:
        print(message, file=sys.stderr if quiet else sys.stdout, flush=True)

    results: dict[str, Any] = {"size": size.name, "environment": environment()}
    manifest = ensure_catalog(size, out, args.regenerate, log)
    results["catalog"] = {k: v for k, v in manifest.items() if k != "event_kinds"}
    paths = catalog_paths(out)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    results["catalog"]["files_read"] = len(paths)
    results["catalog"]["files_read_by_tree"] = files_read_by_tree(paths)
    results["catalog"]["bytes_read"] = sum(len(t.encode("utf-8")) for t in texts)
    repeat = args.repeat

    def record(key: str, timing: Timing) -> None:
        results[f"{key}_s"], results[f"cpu_{key}_s"] = timing

    log("libyaml event floor ...")
    record("floor", measure(lambda: floor(texts), repeat))
    # orbat.validate right after the floor, before anything else has grown and freed the heap: run
    # after yaml.load and the private phases below, it took 0.1 to 0.4 s longer on M (a heap left
    # fragmented by hundreds of MB of freed objects), which a CI run or a fresh session does not see.
    log("orbat.validate (load + full validation) ...")
    loaded: list[orbat.LoadResult] = []
    record("validate", measure(lambda: loaded.append(orbat.validate(out)), repeat, before=loaded.clear))
    result = loaded[-1]
    loaded.clear()
    results["validate_errors"] = len(result.errors)
    results["validate_warnings"] = len(result.warnings)
    results["expected_warnings"] = manifest.get("expected_warnings")
    del result
    log("yaml.load(CSafeLoader) ...")
    record("yaml_load_c", measure(lambda: yaml_load_c(texts), repeat))
    if args.skip_slow:
        results["yaml_safe_load_s"] = None
    else:
        log("yaml.safe_load (pure Python) ...")
        record("yaml_safe_load", measure(lambda: yaml_safe_load(texts), repeat, budget=5.0))
    try:
        private_phases(paths, repeat, record, log)
    except (AttributeError, ImportError, TypeError, KeyError) as exc:  # orbat's internals changed
        results["phases_note"] = f"load without validation not separable in this orbat ({exc!r})"
        log(results["phases_note"])
    floor_s = results["floor_s"]
    for key in ("yaml_load_c", "yaml_safe_load", "orbat_reading", "orbat_build", "orbat_check", "validate"):
        value = results.get(f"{key}_s")
        results[f"ratio_{key}_to_floor"] = None if value is None else value / floor_s
        cpu_value = results.get(f"cpu_{key}_s")
        results[f"ratio_cpu_{key}_to_floor"] = None if cpu_value is None else cpu_value / results["cpu_floor_s"]
    results["ratio_validate_to_yaml_load_c"] = results["validate_s"] / results["yaml_load_c_s"]

    if not args.skip_memory:
        log("memory (fresh processes) ...")
        plain = run_child("validate", out)
        traced = run_child("validate-tracemalloc", out)
        yaml_c = run_child("yaml-c", out)
        results["validate_maxrss_mb"] = plain["maxrss_mb"]
        results["validate_fresh_process_s"] = plain["seconds"]
        results["cpu_validate_fresh_process_s"] = plain["cpu_seconds"]
        results["interpreter_maxrss_mb"] = plain["rss_before_mb"]
        results["validate_traced_peak_mb"] = traced["traced_peak_mb"]
        results["validate_traced_retained_mb"] = traced["traced_retained_mb"]
        results["validate_under_tracemalloc_s"] = traced["seconds"]
        results["yaml_load_c_maxrss_mb"] = yaml_c["maxrss_mb"]

    result = orbat.validate(out)  # again, for the queries: the timed runs' results were dropped
    catalog = result.catalog
    if catalog is None:
        log("the catalog has errors: no queries")
        return results
    del result
    from orbat.queries import default_region

    log("queries: first as_of (builds the query index) ...")
    dates = query_dates(catalog, args.dates)
    wall, cpu, _ = timed_loop(dates[:1], catalog.as_of, args.budget)
    results["as_of_first_s"], results["cpu_as_of_first_s"] = wall, cpu
    log(f"queries: as_of on {len(dates)} dates ...")
    wall, cpu, done = timed_loop(dates, catalog.as_of, args.budget)
    results["as_of_dates"] = done
    results["as_of_ms_per_date"] = 1000 * wall / done
    results["cpu_as_of_ms_per_date"] = 1000 * cpu / done
    wall, cpu, done = timed_loop(dates[:done], catalog.as_of, args.budget)
    results["as_of_again_ms_per_date"] = 1000 * wall / done
    pairs = [(d, d + dt.timedelta(days=7)) for d in query_dates(catalog, args.pairs)]
    log(f"queries: changes over {len(pairs)} week-long pairs (states cached by the as_of runs) ...")
    wall, cpu, done = timed_loop(pairs, lambda p: catalog.changes(p[0], p[1]), args.budget)
    results["changes_pairs"] = done
    results["changes_ms_per_pair"] = 1000 * wall / done
    results["cpu_changes_ms_per_pair"] = 1000 * cpu / done
    if isinstance(getattr(catalog, "cache", None), dict):
        log("queries: changes again with the query caches cleared (index rebuilt first, not timed) ...")
        catalog.cache.clear()
        catalog.as_of(dates[0])
        wall, cpu, done = timed_loop(pairs, lambda p: catalog.changes(p[0], p[1]), args.budget)
        results["changes_cold_ms_per_pair"] = 1000 * wall / done
    region = default_region(catalog)
    results["report_region"] = region
    log(f"queries: report at the newest source date (region {region}, as the CLI) ...")
    shown: list[str] = []
    record("report", measure(lambda: shown.append(report_text(catalog, region)), repeat, budget=10.0))
    results["report_chars"] = len(shown[-1])
    log("queries: report for all regions ...")
    record("report_all", measure(lambda: report_text(catalog, None), repeat, budget=10.0))
    if not args.skip_memory:  # child processes, as the memory figures
        log("the orbat command: report, load included (fresh processes) ...")
        record("report_command", measure(lambda: report_command(out), min(repeat, 3), budget=30.0))
    results["main_maxrss_mb"] = peak_rss_mb()
    results["environment"]["loadavg_end"] = os.getloadavg()
    results["targets"] = {
        name: {"figure": key, "limit": limit, "value": results.get(key), "met": _met(results.get(key), limit)}
        for name, (key, limit, _) in TARGETS.items()
    }
    return results


def _met(value: object, limit: float) -> bool | None:
    return None if not isinstance(value, int | float) else value < limit or value == limit


def _fmt(value: object, unit: str = "s") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f} {unit}" if unit else f"{value:,.3f}"
    return f"{value} {unit}".strip()


def print_report(results: dict[str, Any]) -> None:
    env, cat = results["environment"], results["catalog"]
    print()
    print(f"orbat benchmark, size {results['size']}")
    print(
        f"  machine: {env['nproc']} CPUs, {env['memory_mb']} MB, Python {env['python']}, PyYAML {env['pyyaml']}, "
        f"libyaml {env['libyaml_version'] if env['libyaml'] else 'absent'}; orbat {env['orbat_commit']}"
        f"{' + uncommitted changes' if env['orbat_uncommitted_changes'] else ''} (sources {env['orbat_source_sha256']})"
    )
    print(f"  load average: {env['loadavg_start']} at start, {env.get('loadavg_end')} at end")
    print(
        f"  catalog: {cat['files_read']} YAML files, {cat['bytes_read'] / 2**20:.1f} MB; {cat['vessels']:,} vessels, "
        f"{cat['aircraft']:,} aircraft detachments, {cat['formations']:,} formations, {cat['events']:,} events; "
        f"{cat['files_read_by_tree']} files left by the fast path to the located tree"
    )
    print(
        f"  validation: {results['validate_errors']} errors, {results['validate_warnings']} warnings "
        f"(expected {results['expected_warnings']})"
    )
    print()
    print(f"  {'parse / load':44} {'wall':>12} {'cpu':>12} {'x floor':>9} {'x floor cpu':>12}")
    rows = (
        ("libyaml event floor (yaml.parse, CSafeLoader)", "floor"),
        ("yaml.load(CSafeLoader)", "yaml_load_c"),
        ("yaml.safe_load (pure Python)", "yaml_safe_load"),
        ("orbat reading only (private read_lines, read_fast)", "orbat_reading"),
        ("orbat load without semantic checks", "orbat_build"),
        ("orbat semantic checks alone (check)", "orbat_check"),
        ("orbat.validate: load + full validation", "validate"),
    )
    for label, key in rows:
        ratio = results.get(f"ratio_{key}_to_floor") if key != "floor" else 1.0
        cpu_ratio = results.get(f"ratio_cpu_{key}_to_floor") if key != "floor" else 1.0
        print(
            f"  {label:44} {_fmt(results.get(f'{key}_s')):>12} {_fmt(results.get(f'cpu_{key}_s')):>12} "
            f"{_fmt(ratio, ''):>9} {_fmt(cpu_ratio, ''):>12}"
        )
    if "phases_note" in results:
        print(f"  note: {results['phases_note']}")
    if "validate_maxrss_mb" in results:
        print()
        print(f"  memory: orbat.validate peak RSS {results['validate_maxrss_mb']:,.0f} MB "
              f"(interpreter and imports {results['interpreter_maxrss_mb']:,.0f} MB); "
              f"tracemalloc peak {results['validate_traced_peak_mb']:,.0f} MB, "
              f"retained {results['validate_traced_retained_mb']:,.0f} MB; "
              f"yaml.load(CSafeLoader) peak RSS {results['yaml_load_c_maxrss_mb']:,.0f} MB")  # fmt: skip
        print(f"  orbat.validate once in a fresh process (as CI runs it): {_fmt(results['validate_fresh_process_s'])} "
              f"wall, {_fmt(results['cpu_validate_fresh_process_s'])} CPU")  # fmt: skip
    if "as_of_ms_per_date" in results:
        print()
        print(f"  as_of: first call {_fmt(results['as_of_first_s'])} (builds the index); "
              f"{results['as_of_ms_per_date']:.2f} ms per date over {results['as_of_dates']} dates; "
              f"{results['as_of_again_ms_per_date']:.2f} ms per date asked again")  # fmt: skip
        cold = results.get("changes_cold_ms_per_pair")
        print(f"  changes: {results['changes_ms_per_pair']:.2f} ms per pair over {results['changes_pairs']} pairs"
              + (f"; {cold:.2f} ms with caches cleared" if cold is not None else ""))  # fmt: skip
        print(f"  report: {_fmt(results['report_s'])} (region {results['report_region']}, "
              f"{results['report_chars']:,} characters); all regions {_fmt(results['report_all_s'])}")  # fmt: skip
        if results.get("report_command_s") is not None:
            print(f"  the orbat report command, a fresh process, load included: {_fmt(results['report_command_s'])}")
        print()
        print(f"  targets{' (defined for M)' if results['size'] != 'M' else ''}:")
        for name, (key, limit, description) in TARGETS.items():
            target = results["targets"][name]
            verdict = {True: "met", False: "MISSED", None: "not measured"}[target["met"]]
            print(f"    {verdict:13} {description}: {_fmt(target['value'], '')} (limit {limit:g})  [{key}]")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark orbat on a synthetic world catalog.")
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--out", type=Path, help="catalog folder (default: benchmarks/out/<size>/)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with every figure")
    parser.add_argument("--skip-slow", action="store_true", help="skip yaml.safe_load (pure Python; ~45 s on M)")
    parser.add_argument("--skip-memory", action="store_true", help="skip the memory measurements (child processes)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fast part; the best is kept")
    parser.add_argument("--dates", type=int, default=1000, help="dates for as_of")
    parser.add_argument("--pairs", type=int, default=100, help="date pairs for changes")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds allowed per query loop")
    parser.add_argument("--regenerate", action="store_true", help="generate the catalog even if it is current")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.out)))
        return 0
    results = run(args)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    else:
        print_report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
