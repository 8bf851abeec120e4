"""The ``orbat`` command: a thin layer over the library. Exit codes: 0 fine, 1 problems, 2 usage or I/O."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from orbat.loading import validate
from orbat.rendering import format_problems

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _problem_format(requested: str) -> str:
    """``auto``: GitHub annotations under GitHub Actions, colour on a terminal, else plain text."""
    if requested != "auto":
        return requested
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        return "colour"
    return "text"


def _cmd_validate(args: argparse.Namespace) -> int:
    try:
        result = validate(args.paths or ["catalog"])
    except FileNotFoundError as exc:
        print(f"orbat validate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    fmt = _problem_format(args.format)
    shown = result.problems
    if shown or fmt == "json":
        print(format_problems(shown, fmt))
    errors, warnings = len(result.errors), len(result.warnings)
    if fmt != "json":
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    failed = errors > 0 or (args.strict and warnings > 0)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orbat", description="Naval order-of-battle inventories.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("validate", help="check catalog files; exit 1 when there are problems")
    check.add_argument("paths", nargs="*", metavar="PATH", help="catalog folders or files (default: catalog)")
    check.add_argument(
        "--format",
        choices=("auto", "text", "colour", "github", "json"),
        default="auto",
        help="auto (default): github under GitHub Actions, colour on a terminal, else text",
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    result: int = args.run(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def run() -> None:
    """Entry point of the console script."""
    sys.exit(main())
