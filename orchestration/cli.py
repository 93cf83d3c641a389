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


def place(city: str | None, zone: str | None) -> str:
    return "·".join(p for p in (city or "全省", zone) if p)


def statement_line(s: dict) -> str:
    from devzone.review import metric_of

    yoy = f"  同比 {s['yoy_pct']:+g}%" if s["yoy_pct"] is not None else ""
    where = place(s["city_name"], s["zone_name"])
    return f"{s['correction_key']}  {where}  {metric_of(s)}  {s['value']:g} {s['unit'] or ''}{yoy}  ({s['file_name']})"


def correction_line(c) -> str:
    what = {"reject": "rejected", "accept": "accepted as printed", "revoke": "corrections revoked"}.get(
        c.action, f"{c.action} → {c.new}"
    )
    t = c.target
    where = place(t.get("city"), t.get("zone")) if t else "?"
    return f"{c.correction_id}  {c.key}  {t.get('period', '?')}  {where}  {t.get('metric', '?')}: {what}  — {c.reason} ({c.by}, {c.at})"


def cmd_review(args: argparse.Namespace) -> int:
    from devzone import corrections, review

    with review.open_warehouse() as con:
        queue = review.review_queue(con, args.month)
        orphans = [
            c
            for c in review.orphaned(con, corrections.in_force(corrections.read()))
            if c.target.get("period") in (None, args.month)
        ]
    if args.json:
        for entry in queue:
            sys.stdout.write(json.dumps({**entry, "kind": "statement"}, ensure_ascii=False, default=str) + "\n")
        for c in orphans:
            sys.stdout.write(json.dumps({"kind": "orphaned_correction", **c.__dict__}, ensure_ascii=False) + "\n")
        return 0
    print(f"{args.month}: {len(queue)} statement(s) to review, {len(orphans)} orphaned correction(s)")
    for entry in queue:
        print(statement_line(entry))
        print(f"    why: {entry['why']}")
        if entry["correction_status"]:
            print(f"    {entry['correction_status']}: the gate checks it again when {args.month} runs next")
        print(f"    「{entry['evidence']}」")
    for c in orphans:
        print(f"orphaned: {correction_line(c)}")
    if queue:
        print(
            "correct one with: devzone correct KEY --value V | --yoy P | --city C | --zone Z | --reject | --accept --reason TEXT"
        )
    return 0


def cmd_correct(args: argparse.Namespace) -> int:
    from devzone import corrections, review
    from devzone.extraction.reference import load_reference

    action, new = next(
        (a, v)
        for a, v in (
            ("value", args.value),
            ("yoy", args.yoy),
            ("city", args.city),
            ("zone", args.zone),
            ("reject", args.reject or None),
            ("accept", args.accept or None),
            ("revoke", args.revoke or None),
        )
        if v is not None
    )
    with review.open_warehouse() as con:
        correction = review.checked(
            con,
            load_reference(),
            args.key,
            action,
            new if action in corrections.SET_ACTIONS else None,
            args.reason or "",
            args.by,
        )
    corrections.append(correction)
    print(f"recorded: {correction_line(correction)}")
    print(
        f"it applies from the next run of its month (devzone run --month {correction.target.get('period', 'YYYY-MM')})"
    )
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from devzone import corrections, review
    from devzone.extraction.reference import load_reference

    with review.open_warehouse() as con:
        correction = review.added(
            con,
            load_reference(),
            args.month,
            args.city,
            args.zone,
            args.metric,
            args.value,
            args.yoy,
            args.basis,
            args.document,
            args.evidence,
            args.reason or "",
            args.by,
        )
    corrections.append(correction)
    print(f"recorded: {correction_line(correction)}")
    print(f"key {correction.key}; it applies from the next run of its month (devzone run --month {args.month})")
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:
    from devzone import corrections

    in_force = [
        c
        for c in corrections.in_force(corrections.read())
        if args.month is None or c.target.get("period") == args.month
    ]
    print(f"{len(in_force)} correction(s) in force ({corrections.journal_path()})")
    for c in in_force:
        print(correction_line(c))
    return 0


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
    review = sub.add_parser("review", help="list the statements of a month that need a person")
    review.add_argument("--month", type=period_arg, required=True, help="the month (YYYY-MM)")
    review.add_argument("--json", action="store_true", help="one JSON object per line")
    review.set_defaults(func=cmd_review)
    correct = sub.add_parser("correct", help="record a correction of a statement (journal under the home)")
    correct.add_argument("key", help="the statement's correction key (devzone review, 溯源)")
    what = correct.add_mutually_exclusive_group(required=True)
    what.add_argument("--value", help="the right value, in the statement's unit")
    what.add_argument("--yoy", help="the right year-on-year growth, in percent")
    what.add_argument("--city", help="the right city (a name of the reference)")
    what.add_argument("--zone", help="the right zone (a name of the reference)")
    what.add_argument("--reject", action="store_true", help="the number is not a fact")
    what.add_argument("--accept", action="store_true", help="the number is right as printed")
    what.add_argument("--revoke", action="store_true", help="withdraw the corrections in force for the key")
    correct.add_argument("--reason", help="why (required)")
    correct.add_argument("--by", help="who decided (default: the OS user)")
    correct.set_defaults(func=cmd_correct)
    add = sub.add_parser("add", help="record a fact the extractor missed (journal under the home)")
    add.add_argument("--month", type=period_arg, required=True, help="the month (YYYY-MM)")
    add.add_argument("--city", required=True, help="the city (a name of the reference)")
    add.add_argument("--zone", help="the zone (a name of the reference); none for the city's total")
    add.add_argument("--metric", required=True, help="the indicator: its code or Chinese name (工业投资)")
    add.add_argument("--value", required=True, help="the value, in the indicator's unit")
    add.add_argument("--yoy", help="the year-on-year growth, in percent")
    add.add_argument("--basis", default="actual", help="actual (default) or target")
    add.add_argument("--document", required=True, metavar="FILE", help="the month's report that states it")
    add.add_argument("--evidence", help="the sentence that states it, as the report writes it")
    add.add_argument("--reason", help="why (required)")
    add.add_argument("--by", help="who decided (default: the OS user)")
    add.set_defaults(func=cmd_add)
    listing = sub.add_parser("corrections", help="list the corrections in force")
    listing.add_argument("--month", type=period_arg, help="only those of one month (YYYY-MM)")
    listing.set_defaults(func=cmd_corrections)
    args = parser.parse_args(argv)
    from devzone.corrections import CorrectionError, JournalError
    from devzone.review import WarehouseBusy
    from devzone.settings import SettingError

    try:
        return args.func(args)
    except (SettingError, CorrectionError, JournalError, WarehouseBusy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`devzone review … | head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted: nothing was published by this run; the serving file is as it was", file=sys.stderr)
        return 130
    except Exception as exc:
        # One plain sentence first; the traceback (for whoever fixes devzone) follows.
        print(
            f"error: devzone {args.command} stopped on an unexpected error ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''})"
            + ("; nothing was published by this run" if args.command == "run" else "")
            + ". The traceback follows.",
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
