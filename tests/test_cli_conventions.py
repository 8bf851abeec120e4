"""Everyday command-line conventions: --version, shell completion, one table at a time as CSV that
pandas reads, a clear message outside a catalog folder, and the bundled catalog installed with
the package (built into a wheel and run from elsewhere)."""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import orbat
from orbat.cli import _parser
from orbat.completion import SHELLS, completion_script
from orbat.loading import EXAMPLE_FOLDER

ROOT = Path(__file__).resolve().parent.parent


def run_orbat(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orbat", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


# ---------------------------------------------------------------------------------------------
# --version


def test_version() -> None:
    completed = run_orbat("--version")
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, f"orbat {orbat.__version__}\n", "")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert orbat.__version__ == project["version"] == importlib.metadata.version("orbat")


# ---------------------------------------------------------------------------------------------
# Outside a catalog folder, and the bundled catalog


@pytest.mark.parametrize(
    "command", [["report"], ["table", "--as-of", "2025-10"], ["validate"], ["export", "--to", "csv", "-"]]
)
def test_outside_a_catalog_folder_says_how_to_name_one(tmp_path: Path, command: list[str]) -> None:
    completed = run_orbat(*command, cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stdout == ""
    name = command[0]
    assert completed.stderr == (
        f"orbat {name}: no catalog given, and no 'catalog' folder here to read; name the catalog's folders or "
        f"files ('orbat {name} path/to/catalog'), or try the bundled one with 'orbat {name} --example'\n"
    )


def test_example_runs_from_any_folder(tmp_path: Path) -> None:
    here = run_orbat("report", "--example", cwd=tmp_path)
    assert here.returncode == 0, here.stderr
    assert here.stdout.startswith("Deployment as of ")
    assert here.stdout == run_orbat("report", "catalog").stdout
    checked = run_orbat("validate", "--example", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.startswith("0 error(s), ") and str(ROOT / "catalog") in checked.stdout


def test_example_and_paths_are_refused_together() -> None:
    completed = run_orbat("report", "--example", "catalog")
    assert (completed.returncode, completed.stderr) == (2, "orbat report: give catalog paths or --example, not both\n")


def test_example_folder_is_the_bundled_catalog() -> None:
    """In the source tree the package's example links to catalog/ and seeds/: nothing to keep in sync."""
    assert EXAMPLE_FOLDER.resolve() == ROOT / "catalog"
    assert (EXAMPLE_FOLDER.parent / "seeds").resolve() == ROOT / "seeds"
    assert orbat.load(EXAMPLE_FOLDER.resolve()) == orbat.load(ROOT / "catalog")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_wheel_installs_the_bundled_catalog(tmp_path: Path) -> None:
    """Build the wheel from a copy of the sources, install it on its own, and run --example from elsewhere."""
    source = tmp_path / "source"
    for name in ("pyproject.toml", "README.md"):
        source.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    for name in ("orbat", "catalog", "seeds"):
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(ROOT / name, source / name, symlinks=True, ignore=ignore)
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("orbat-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packed = {name: archive.read(name) for name in archive.namelist()}
    bundled = "orbat/examples/caribbean-2025/"
    assert {
        k.removeprefix(bundled + "catalog/"): v for k, v in packed.items() if k.startswith(bundled + "catalog/")
    } == _tree(ROOT / "catalog")
    assert {
        k.removeprefix(bundled + "seeds/"): v for k, v in packed.items() if k.startswith(bundled + "seeds/")
    } == _tree(ROOT / "seeds")

    target = tmp_path / "installed"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import orbat; print(orbat.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(target)  # the installed copy, not the source tree
    report = run_orbat("report", "--example", cwd=elsewhere, env=env)
    assert report.returncode == 0, report.stderr
    assert report.stdout == run_orbat("report", "catalog").stdout
    assert str(ROOT) not in report.stdout + report.stderr


# ---------------------------------------------------------------------------------------------
# One table at a time


def test_table_as_csv_has_one_header_and_numbers() -> None:
    completed = run_orbat("table", "--as-of", "2025-11-04", "--by", "type", "--table", "vessels", "--format", "csv")
    assert completed.returncode == 0, completed.stderr
    rows = list(csv.DictReader(io.StringIO(completed.stdout)))
    assert list(rows[0]) == ["type", "name", "count_low", "count_high", "count_high_open", "count_approximate"]
    assert all(row["count_low"].isdigit() and row["count_high"].isdigit() for row in rows)
    assert rows[-1]["type"] == "total"
    assert sum(int(row["count_low"]) for row in rows[:-1]) == int(rows[-1]["count_low"])
    assert sum(int(row["count_high"]) for row in rows[:-1]) == int(rows[-1]["count_high"])


def test_every_table_of_the_report_can_be_chosen_by_its_name() -> None:
    shown = run_orbat("report", "--table", "nonsense")
    assert shown.returncode == 2
    prefix = "orbat report: --table 'nonsense' is not a table of this command; use one of: "
    assert shown.stderr.startswith(prefix)
    names = shown.stderr.removeprefix(prefix).strip().split(", ")
    assert names[:3] == ["deployment", "vessels-present", "aircraft-ashore"]
    assert {"personnel", "sources", "legend"} <= set(names)
    for name in names:
        one = run_orbat("report", "--table", name, "--format", "csv")
        assert one.returncode == 0, one.stderr
        header, *rows = list(csv.reader(io.StringIO(one.stdout)))
        assert rows and all(len(row) == len(header) for row in rows)
        assert "table" not in header


def test_a_unique_start_of_a_name_will_do_and_an_ambiguous_one_is_refused() -> None:
    assert run_orbat("report", "--table", "vessels").stdout == run_orbat("report", "--table", "vessels-present").stdout
    ambiguous = run_orbat("report", "--table", "")
    assert ambiguous.returncode == 2
    assert ambiguous.stderr.startswith("orbat report: --table '' names more than one table; use one of: deployment, ")


def test_csv_dates_are_days_with_a_precision() -> None:
    completed = run_orbat("report", "--table", "vessels-present", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(completed.stdout)))
    assert {"since_start", "since_end", "since_precision", "since_approximate"} <= set(rows[0])
    assert "since" not in rows[0]
    for row in rows[:-1]:  # the last is the total, of no date
        assert len(row["since_start"]) == len(row["since_end"]) == 10
        assert row["since_precision"] in ("day", "month", "year")
    assert not any("~" in value for row in rows for value in row.values())


@pytest.mark.skipif(
    importlib.util.find_spec("pandas") is None, reason="pandas is not installed (the test extra has it)"
)
def test_pandas_reads_one_table() -> None:
    completed = run_orbat("timeline", "--table", "timeline", "--format", "csv")
    code = (
        "import pandas as pd, sys; df = pd.read_csv(sys.stdin); "
        "print(df['vessels_low'].dtype, df['vessels_high_open'].dtype, len(df))"
    )
    read = subprocess.run(
        [sys.executable, "-c", code], input=completed.stdout, capture_output=True, text=True, check=False
    )
    assert read.returncode == 0, read.stderr
    dtype_low, dtype_open, count = read.stdout.split()
    assert (dtype_low, dtype_open) == ("int64", "bool") and int(count) > 20


# ---------------------------------------------------------------------------------------------
# Shell completion


def test_completion_command_prints_the_script() -> None:
    for shell in SHELLS:
        completed = run_orbat("completion", shell)
        assert completed.returncode == 0
        assert completed.stdout == completion_script(
            _parser(), shell, {"--format": ("simple", "github", "grid", "pipe", "html", "csv", "json")}
        )
    assert run_orbat("completion", "fish").returncode == 2


def bash_complete(words: list[str], cwd: Path = ROOT) -> list[str]:
    """What bash offers for the last of ``words`` (an empty last word: a new word)."""
    script = completion_script(_parser(), "bash", {"--format": ("simple", "csv", "json")})
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    program = (
        f'{script}\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _orbat; printf "%s\\n" "${{COMPREPLY[@]}}"'
    )
    completed = subprocess.run(["bash", "--norc", "-c", program], cwd=cwd, capture_output=True, text=True, check=False)
    assert completed.returncode == 0 and completed.stderr == "", completed.stderr
    return sorted(line for line in completed.stdout.splitlines() if line)


def test_bash_completes_commands_options_and_values(tmp_path: Path) -> None:
    assert bash_complete(["orbat", "re"]) == ["report"]
    assert bash_complete(["orbat", "--v"]) == ["--version"]
    assert bash_complete(["orbat", "report", "--fo"]) == ["--format"]
    assert bash_complete(["orbat", "report", "--format", "c"]) == ["csv"]
    assert bash_complete(["orbat", "table", "--by", "aircraft"]) == ["aircraft-type"]
    assert bash_complete(["orbat", "export", "--to", "presence"]) == ["presence-csv", "presence-json"]
    assert bash_complete(["orbat", "completion", ""]) == ["bash", "zsh"]
    assert bash_complete(["orbat", "table", "--as-of", ""]) == []  # a date: nothing to offer
    (tmp_path / "my catalog").mkdir()
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    assert bash_complete(["orbat", "report", "my"], cwd=tmp_path) == ["my catalog"]
    assert bash_complete(["orbat", "timeline", "--svg", "n"], cwd=tmp_path) == ["notes.txt"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (.ci/run installs it)")
def test_zsh_script_loads_and_registers(tmp_path: Path) -> None:
    script = tmp_path / "_orbat"
    script.write_text(completion_script(_parser(), "zsh"), encoding="utf-8")
    syntax = subprocess.run(["zsh", "-n", str(script)], capture_output=True, text=True, check=False)
    assert syntax.returncode == 0, syntax.stderr
    program = f"autoload -U compinit; compinit -u -D; source {script}; print -r -- $_comps[orbat]"
    loaded = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert (loaded.returncode, loaded.stdout, loaded.stderr) == (0, "_orbat\n", "")


def test_completion_knows_every_command_and_option() -> None:
    parser = _parser()
    bash = completion_script(parser, "bash")
    zsh = completion_script(parser, "zsh")
    for name, sub in parser._subparsers._group_actions[0].choices.items():  # type: ignore[union-attr]
        assert f"        {name})" in bash and f"'{name}:" in zsh
        for action in sub._actions:
            for option in action.option_strings:
                assert option in bash and option in zsh, (name, option)
    with pytest.raises(ValueError, match="no completion for 'fish'"):
        completion_script(parser, "fish")


@pytest.mark.parametrize(("own_process", "frozen"), [(True, True), (False, False)])
def test_the_program_keeps_what_it_loaded_from_the_collector_but_a_caller_of_main_keeps_its_own(
    own_process: bool, frozen: bool
) -> None:
    # As the program (own_process), the loaded catalog is frozen out of the cyclic collector's
    # scans; a program that calls main() itself keeps its collector as it was.
    script = (
        "import contextlib, gc, io\n"
        "from orbat.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['report', {str(ROOT / 'catalog')!r}], own_process={own_process})\n"
        "print(code, gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["0", str(frozen)]
