#!/usr/bin/env python3
"""Row digests of a serving file's tables, or the comparison of two serving files.

    .venv/bin/python bench/serving_digest.py SERVING.duckdb              # one line per table
    .venv/bin/python bench/serving_digest.py BEFORE.duckdb AFTER.duckdb  # what differs
    ... --ignore filed_at    # also leave out a column (filed_at: the landing files' mtimes)

A table's digest is the MD5 of its rows (every column as text, sorted), so the order rows were
written in does not count. Columns that differ from run to run by nature (run ids, publishing
times) are left out. Comparing two files, each table is digested over the columns both have, and
columns only one side has are listed: a refactor may add columns, it must not change the values
of the ones that were there. Exit status 1 when a table or a shared column's values differ, or a
table is missing on one side.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import duckdb

VOLATILE_COLUMNS = {"run_id", "published_at"}


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = 'main' "
        "order by table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def digest(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> tuple[int, str]:
    kept = [c for c in columns if c not in VOLATILE_COLUMNS]
    if not kept:
        return con.execute(f'select count(*) from "{table}"').fetchone()[0], "-"
    cast = ", ".join(f"coalesce(cast(\"{c}\" as varchar), '∅')" for c in kept)
    rows = con.execute(f"select concat_ws('\\x1f', {cast}) as r from \"{table}\" order by r").fetchall()
    md5 = hashlib.md5("\x1e".join(r for (r,) in rows).encode("utf-8")).hexdigest()
    return len(rows), md5


def main(argv: list[str]) -> int:
    while "--ignore" in argv:
        i = argv.index("--ignore")
        VOLATILE_COLUMNS.add(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    cons = [duckdb.connect(str(Path(p)), read_only=True) for p in argv]
    if len(cons) == 1:
        for table, columns in tables(cons[0]).items():
            count, md5 = digest(cons[0], table, columns)
            print(f"{table:<28} {count:>7} rows  {md5}")
        return 0
    before, after = (tables(c) for c in cons)
    status = 0
    for table in sorted(set(before) | set(after)):
        if table not in before or table not in after:
            print(f"{table:<28} only in {'the second' if table in after else 'the first'} file")
            status = 1
            continue
        shared = [c for c in before[table] if c in after[table]]
        (n1, d1), (n2, d2) = (digest(c, table, shared) for c in cons)
        added = [c for c in after[table] if c not in before[table]]
        dropped = [c for c in before[table] if c not in after[table]]
        same = (n1, d1) == (n2, d2)
        status |= not same or bool(dropped)
        notes = ([f"added {', '.join(added)}"] if added else []) + (
            [f"DROPPED {', '.join(dropped)}"] if dropped else []
        )
        print(
            f"{table:<28} {'same' if same else 'DIFFERENT'}  {n1} → {n2} rows"
            + (f"  ({'; '.join(notes)})" if notes else "")
        )
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
