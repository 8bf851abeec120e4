"""The ``orbat`` command: a thin layer over the library. Exit codes: 0 fine, 1 problems, 2 usage or I/O."""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from orbat import __version__
from orbat.catalog import Catalog
from orbat.claims import check_claims
from orbat.completion import SHELLS, completion_script
from orbat.dates import InvalidDate, parse_date
from orbat.loading import EXAMPLE_FOLDER, load, validate
from orbat.places import Region
from orbat.problems import CatalogError
from orbat.queries import BREAKDOWNS, changes, resolve_region, snapshot, timeline
from orbat.rendering import (
    TABLE_FORMATS,
    Table,
    breakdown_table,
    changes_table,
    claims_table,
    format_problems,
    render_report,
    render_tables,
    report_tables,
    table_csv,
    table_name,
    timeline_table,
)
from orbat.report import build_report

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
        result = validate(_catalog_paths(args))
    except (FileNotFoundError, _UsageError) as exc:
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


class _UsageError(Exception):
    """Bad arguments or an unreadable path: exit 2."""


def _catalog_arguments(command: argparse.ArgumentParser) -> None:
    """The catalog a command reads: PATHs, ./catalog when none is given, or the bundled example."""
    command.add_argument("paths", nargs="*", metavar="PATH", help="catalog folders or files (default: catalog)")
    command.add_argument(
        "--example", action="store_true", help="read the bundled catalog (the U.S. deployment in the Caribbean, 2025)"
    )


def _catalog_paths(args: argparse.Namespace) -> list[str]:
    """The paths to read; without any, ./catalog, or a message saying how to name a catalog."""
    if args.example:
        if args.paths:
            raise _UsageError("give catalog paths or --example, not both")
        return [str(EXAMPLE_FOLDER.resolve())]
    if args.paths:
        return list(args.paths)
    if not Path("catalog").exists():
        raise _UsageError(
            "no catalog given, and no 'catalog' folder here to read; name the catalog's folders or files "
            f"('orbat {args.command} path/to/catalog'), or try the bundled one with 'orbat {args.command} --example'"
        )
    return ["catalog"]


def _load(args: argparse.Namespace) -> Catalog:
    try:
        catalog = load(_catalog_paths(args))
    except FileNotFoundError as exc:
        raise _UsageError(str(exc)) from None
    if args.own_process:  # set by main()
        # The catalog lives until the command ends: frozen, it is never scanned again by the
        # cyclic collector, whose first full collection after a load otherwise goes over every
        # object read (0.8 s of a report on the benchmark's size M).
        gc.freeze()
    return catalog


def _date(text: str) -> str:
    try:
        parse_date(text)
    except InvalidDate as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _region(args: argparse.Namespace, catalog: Catalog) -> Region:
    try:
        return resolve_region(catalog, args.region)
    except ValueError as exc:
        raise _UsageError(f"--region: {exc}") from None


def _stale_after(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if days < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give 0 or more days")
    return days


def _as_of(args: argparse.Namespace, catalog: Catalog) -> str:
    if args.as_of:
        return str(args.as_of)
    latest = catalog.latest_source_date
    if latest is None:
        raise _UsageError("the catalog has no dated source; give --as-of DATE")
    return latest.end.isoformat()


def _cmd_report(args: argparse.Namespace) -> int:
    if args.format not in (*TABLE_FORMATS, "html"):
        print(
            f"orbat report: unknown format {args.format!r}; use html, csv, json or a tabulate format", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        catalog = _load(args)
        region = _region(args, catalog)
        report = build_report(snapshot(catalog, _as_of(args, catalog), region, stale_after=args.stale_after))
        table = _select(report_tables(report, titles=args.titles), args.table) if args.table is not None else None
    except _UsageError as exc:
        print(f"orbat report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CatalogError as exc:
        print(format_problems(exc.problems, "text"), file=sys.stderr)
        print("orbat report: the catalog has errors; run 'orbat validate' for details", file=sys.stderr)
        return EXIT_PROBLEMS
    if table is not None:
        text = (table_csv(table) if args.format == "csv" else render_tables([table], args.format)) + "\n"
    elif args.format == "html":
        from orbat.html import report_html
        from orbat.svg import timeline_svg

        text = report_html(report, timeline_svg(catalog, region, marker=report.date))
    else:
        text = render_report(report, args.format, titles=args.titles) + "\n"
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return EXIT_OK
    try:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        print(f"orbat report: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _cmd_table(args: argparse.Namespace) -> list[Table]:
    catalog = _load(args)
    snap = snapshot(catalog, args.as_of, _region(args, catalog), stale_after=args.stale_after)
    return [breakdown_table(snap, args.by)]


def _cmd_diff(args: argparse.Namespace) -> list[Table]:
    catalog = _load(args)
    found = changes(catalog, args.start, args.end, _region(args, catalog), stale_after=args.stale_after)
    return [changes_table(found, catalog, args.start, args.end)]


def _cmd_timeline(args: argparse.Namespace) -> list[Table]:
    catalog = _load(args)
    region = _region(args, catalog)
    if args.svg:
        from orbat.svg import write_timeline_svg

        try:
            write_timeline_svg(catalog, args.svg, region)
        except OSError as exc:
            raise _UsageError(f"cannot write {args.svg}: {exc.strerror or exc}") from None
    return [timeline_table(timeline(catalog, region))]


def _cmd_claims(args: argparse.Namespace) -> list[Table]:
    return [claims_table(check_claims(_load(args)))]


def _cmd_schema(args: argparse.Namespace) -> int:
    from orbat.schema import schema_json

    print(schema_json())
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from orbat.export import export_text

    try:
        catalog = _load(args)
        text = export_text(catalog, args.to, name=args.name, region=_region(args, catalog), as_of=args.as_of)
    except (_UsageError, ValueError) as exc:  # ValueError: no date to export the deployment of
        print(f"orbat export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CatalogError as exc:
        print(format_problems(exc.problems, "text"), file=sys.stderr)
        print("orbat export: the catalog has errors; run 'orbat validate' for details", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.file == "-":
        sys.stdout.write(text)
        return EXIT_OK
    try:
        with open(args.file, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        print(f"orbat export: cannot write {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


_FORMATS_HELP = "csv, json or any tabulate format (simple, github, grid, ...); default simple"


def _query_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    formats_help: str = _FORMATS_HELP,
) -> argparse.ArgumentParser:
    command = commands.add_parser(name, help=help_text)
    command.add_argument("--format", default="simple", metavar="FORMAT", help=formats_help)
    command.add_argument(
        "--region",
        metavar="PLACES",
        help="place ids whose units are counted, comma-separated (default: the catalog's settings; 'all': everywhere)",
    )
    if name in ("report", "table", "diff"):
        command.add_argument(
            "--stale-after",
            type=_stale_after,
            metavar="DAYS",
            help="take a presence last reported more than DAYS days before the date as only possible",
        )
    command.add_argument(
        "--table",
        metavar="NAME",
        help="print only this table (its short name, as an unknown name lists them; a unique start of it "
        "will do); with --format csv, one header row that pandas reads",
    )
    return command


def _select(tables: list[Table], name: str) -> Table:
    """The table called ``name``, or else the only one whose name starts with it."""
    names = [table_name(t) for t in tables]
    chosen = [t for t, n in zip(tables, names, strict=True) if n == name] or [
        t for t, n in zip(tables, names, strict=True) if n.startswith(name)
    ]
    if len(chosen) != 1:
        what = "names more than one table" if chosen else "is not a table of this command"
        raise _UsageError(f"--table {name!r} {what}; use one of: {', '.join(dict.fromkeys(names))}")
    return chosen[0]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orbat", description="Naval order-of-battle inventories.")
    parser.add_argument("--version", action="version", version=f"orbat {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("validate", help="check catalog files; exit 1 when there are problems")
    _catalog_arguments(check)
    check.add_argument(
        "--format",
        choices=("auto", "text", "colour", "github", "json"),
        default="auto",
        help="auto (default): github under GitHub Actions, colour on a terminal, else text",
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=_cmd_validate)

    report = _query_command(
        commands,
        "report",
        "the deployment at the newest source date (or --as-of)",
        "html (one self-contained page), json, csv or any tabulate format; default simple",
    )
    _catalog_arguments(report)
    report.add_argument("--as-of", type=_date, metavar="DATE", help="the date to report (default: newest source)")
    report.add_argument("--titles", action="store_true", help="list each source's title as well")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    report.set_defaults(run=_cmd_report)

    table = _query_command(commands, "table", "units present on a date, broken down")
    _catalog_arguments(table)
    table.add_argument("--as-of", type=_date, metavar="DATE", required=True, help="the date")
    table.add_argument("--by", choices=BREAKDOWNS, default="category", help="what to break down by")
    table.set_defaults(query=_cmd_table)

    diff = _query_command(commands, "diff", "what changed between two dates")
    diff.add_argument("start", type=_date, metavar="FROM")
    diff.add_argument("end", type=_date, metavar="TO")
    _catalog_arguments(diff)
    diff.set_defaults(query=_cmd_diff)

    line = _query_command(commands, "timeline", "totals on every reported day")
    _catalog_arguments(line)
    line.add_argument("--svg", metavar="FILE", help="also draw each unit's presence over time as an SVG chart")
    line.set_defaults(query=_cmd_timeline)

    claims = _query_command(commands, "claims", "reported figures checked against the catalog")
    _catalog_arguments(claims)
    claims.set_defaults(query=_cmd_claims)

    schema = commands.add_parser("schema", help="print the JSON Schema of catalog files (for editors)")
    schema.set_defaults(run=_cmd_schema)

    export = commands.add_parser("export", help="write the catalog for ORBAT Mapper, pandas or a spreadsheet")
    export.add_argument(
        "--to",
        choices=("orbat-mapper", "csv", "json", "presence-csv", "presence-json", "geojson"),
        required=True,
        help="orbat-mapper: a scenario ORBAT Mapper opens; geojson: the units present on a date and the places, "
        "for QGIS or geojson.io; csv or json: one record per unit and per event; "
        "presence-csv or presence-json: one row per unit and stretch of days with the same state",
    )
    export.add_argument("--name", default="orbat catalog", help="the scenario's name (orbat-mapper)")
    export.add_argument(
        "--region",
        help="place id counted by the presence and geojson formats (default: as for the query commands; "
        "'all' for everywhere)",
    )
    export.add_argument(
        "--as-of", type=_date, metavar="DATE", help="the date of the geojson deployment (default: newest source)"
    )
    export.add_argument("file", metavar="FILE", help="the file to write ('-' for standard output)")
    _catalog_arguments(export)
    export.set_defaults(run=_cmd_export)

    completion = commands.add_parser("completion", help="print a shell completion script (bash or zsh)")
    completion.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    completion.set_defaults(run=_cmd_completion)
    return parser


def _cmd_completion(args: argparse.Namespace) -> int:
    sys.stdout.write(completion_script(_parser(), args.shell, _VALUES))
    return EXIT_OK


# Values to offer for options that take any text but have a few usual ones.
_VALUES = {"--format": ("simple", "github", "grid", "pipe", "html", "csv", "json")}


def _run_query(args: argparse.Namespace) -> int:
    if args.format not in TABLE_FORMATS:
        print(
            f"orbat {args.command}: unknown format {args.format!r}; use csv, json or a tabulate format", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        tables = args.query(args)
        if args.table is not None:
            table = _select(tables, args.table)
            print(table_csv(table) if args.format == "csv" else render_tables([table], args.format))
            return EXIT_OK
    except _UsageError as exc:
        print(f"orbat {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CatalogError as exc:
        print(format_problems(exc.problems, "text"), file=sys.stderr)
        print(f"orbat {args.command}: the catalog has errors; run 'orbat validate' for details", file=sys.stderr)
        return EXIT_PROBLEMS
    print(render_tables(tables, args.format))
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, own_process: bool = False) -> int:
    """Run the command line; returns the exit code. ``own_process``: the process ends with the
    command (as the ``orbat`` program), so what it loads may be kept from the garbage collector."""
    for stream in (sys.stdout, sys.stderr):
        # A file name that is not UTF-8 must print as an escape, not end the run with a traceback.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    args.own_process = own_process
    if hasattr(args, "query"):
        return _run_query(args)
    result: int = args.run(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def run() -> None:
    """Entry point of the console script."""
    try:
        code = main(own_process=True)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (such as `head`) stopped reading: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)
