"""python -m devzone.quality WAREHOUSE PERIOD [--docs FOLDER] [--all]: validate a month of a
warehouse (read-only) and print the failures; exit status 1 when an ERROR expectation failed.

python -m devzone.quality rules [--readme README.md]: print the rules tables (from the suites'
meta), or rewrite them in the README (everything after its paragraph "The rules, each with its
severity", up to the next section).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devzone import settings
from devzone.quality.suites import rules_markdown

RULES_INTRO = "The rules, each with its severity"


def write_rules(readme: Path) -> bool:
    """Replace the README's rules tables with the suites' own; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    intro = next(i for i, line in enumerate(lines) if line.startswith(RULES_INTRO))
    start = next(i for i in range(intro, len(lines)) if not lines[i].strip())  # the end of its paragraph
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("#")), len(lines))
    tail = "".join(lines[end:])
    new = "".join(lines[:start]) + "\n" + rules_markdown() + ("\n" + tail if tail else "")
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def validate(argv: list[str]) -> int:
    import duckdb

    from devzone.quality.data_docs import build_data_docs
    from devzone.quality.gate import validate_month
    from devzone.quality.results import summarise

    parser = argparse.ArgumentParser(prog="python -m devzone.quality")
    parser.add_argument("warehouse")
    parser.add_argument("period")
    parser.add_argument("--schema", default="main")
    parser.add_argument("--docs", help="build Data Docs into this folder")
    parser.add_argument("--all", action="store_true", help="print passing expectations too")
    args = parser.parse_args(argv)
    con = duckdb.connect(args.warehouse, read_only=True)
    try:
        validation = validate_month(con, args.period, schema=args.schema)
    finally:
        con.close()
    print(summarise(validation.checks, failed_only=not args.all))
    print(
        f"{len(validation.checks)} expectations, {len(validation.failed_errors)} errors, "
        f"{len(validation.failed_warnings)} warnings, {validation.seconds:.2f} s"
    )
    if args.docs:
        print(build_data_docs(validation, args.docs))
    return 0 if validation.passed else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["rules"]:
        parser = argparse.ArgumentParser(prog="python -m devzone.quality rules")
        parser.add_argument(
            "--readme", type=Path, help=f"rewrite the tables in this file (e.g. {settings.PROJECT_ROOT / 'README.md'})"
        )
        args = parser.parse_args(argv[1:])
        if args.readme:
            print(f"{args.readme}: {'updated' if write_rules(args.readme) else 'already up to date'}")
        else:
            print(rules_markdown(), end="")
        return 0
    return validate(argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
