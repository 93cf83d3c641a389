"""`devzone` command line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from pathlib import Path

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def period_arg(value: str) -> str:
    if not PERIOD.match(value):
        raise argparse.ArgumentTypeError(f"period must be YYYY-MM, got {value!r}")
    return value


def period_from_path(path: Path) -> str | None:
    """A report filed under landing/YYYY-MM/ takes that month."""
    for part in reversed(path.resolve().parts[:-1]):
        if PERIOD.match(part):
            return part
    return None


def cmd_extract(args: argparse.Namespace) -> int:
    from devzone.extraction import ReadError, extract_document, read_document
    from devzone.extraction.reference import load_reference

    ref = load_reference()
    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            document = read_document(path)
        except ReadError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        period = args.period or period_from_path(path)
        if period is None:
            print(f"warning: {path.name}: no --period and no YYYY-MM folder; period left empty", file=sys.stderr)
        extraction = extract_document(document, period, ref)
        if args.summary:
            print(summary_line(extraction, period))
            continue
        for fact in extraction.facts:
            sys.stdout.write(json.dumps(fact, ensure_ascii=False) + "\n")
        print(f"{path.name}: {len(extraction.facts)} facts", file=sys.stderr)
    if args.summary:
        print(f"{len(args.files) - failed} documents read, {failed} failed")
    return 2 if failed else 0


def summary_line(extraction, period: str | None) -> str:
    facts = extraction.facts
    cities = sorted({f["city"] or "全省" for f in facts})
    indicators = sum(f["type"] == "indicator" for f in facts)
    review = sum(f["confidence"] == "review" for f in facts)
    return (
        f"{extraction.document.file_name:<44} {period or '-':<8} {extraction.document.encoding:<9} "
        f"{indicators:>3} indicator {len(facts) - indicators:>3} pipeline facts ({review} to review)  {'、'.join(cities)}"
    )


def cmd_run(args: argparse.Namespace) -> int:
    import warnings

    warnings.filterwarnings("ignore", module="dagster")  # beta/preview notices about our own definitions
    from devzone import landing, settings, warehouse
    from orchestration import runner

    if args.samples:
        copied = runner.copy_samples(Path(args.samples), settings.landing_dir())
        print(f"{copied} sample reports in {settings.landing_dir()}")
    if args.month:
        if reason := landing.unrunnable(args.month):
            print(f"error: {args.month} cannot run: {reason}", file=sys.stderr)
            return 2
        months = [args.month]
    else:
        months, skipped = landing.landed_months()
        for name, reason in skipped:
            print(f"skipped landing/{name}: {reason}", file=sys.stderr)
        if not months:
            print(f"error: no reports to run in {settings.landing_dir()}/YYYY-MM/", file=sys.stderr)
            return 2
        if len(months) > 1:
            # One run over the whole range (a single-run backfill); months without files are empty.
            keys = landing.runnable_months(landing.beijing_now())
            months = keys[keys.index(months[0]) : keys.index(months[-1]) + 1]
    path = settings.warehouse_path()
    if reason := warehouse.unreadable_reason(path):
        print(f"error: {warehouse.corrupt_warehouse_advice(path, reason)}", file=sys.stderr)
        return 1
    summary = runner.run_months(months)
    print(runner.format_summary(summary))
    return 0 if summary.success else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="devzone", description="Development-zone reports to facts.")
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser("extract", help="print the facts of report files as JSON Lines")
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument("--period", type=period_arg, help="the month the reports cover up to (YYYY-MM)")
    extract.add_argument("--summary", action="store_true", help="print one line per document instead of the facts")
    extract.set_defaults(func=cmd_extract)
    run = sub.add_parser("run", help="run the monthly pipeline in process and print a summary")
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--month", type=period_arg, help="one month (YYYY-MM)")
    which.add_argument("--all", action="store_true", help="every month that has landing files, in one run")
    run.add_argument("--samples", metavar="DIR", help="first copy sample reports (DIR/YYYY-MM/*) into the landing area")
    run.set_defaults(func=cmd_run)
    args = parser.parse_args(argv)
    from devzone.settings import SettingError

    try:
        return args.func(args)
    except SettingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was published by this run; the serving file is as it was", file=sys.stderr)
        return 130
    except Exception as exc:
        # One plain sentence first; the traceback (for whoever fixes devzone) follows.
        print(
            f"error: devzone {args.command} stopped on an unexpected error ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}); nothing was published by this run. "
            "The traceback follows.",
            file=sys.stderr,
        )
        raise


def entry() -> None:
    """The `devzone` command. After a run the interpreter holds Dagster, dbt's and Great
    Expectations' objects, and tearing them down took 2 to 8 s of the command's wall time; by then
    every file is written and closed, so the command flushes its output and logs and ends at once."""
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
