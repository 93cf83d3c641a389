"""Publish the marts as the serving file that the app reads.

The app must never open the working warehouse (DuckDB allows one writer, and a reader blocks it).
The marts are copied into a new file beside the serving file, checkpointed and closed, then
renamed over it: readers see the old file or the new one, never a half-built one, and a run
killed before the rename leaves the previous file as it was. The building file of such a run is
removed by the next publish.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

SERVED_PREFIXES = ("fct_", "dim_", "rpt_")


def served_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_catalog = ? and table_schema = 'main' "
        "order by table_name",
        [catalog],
    ).fetchall()
    return [name for (name,) in rows if name.startswith(SERVED_PREFIXES)]


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's process
        pass
    return True


def building_path(serving: Path, pid: int | str) -> Path:
    """Where the publish of process `pid` builds the next serving file."""
    return serving.with_name(f".{serving.stem}.{pid}.building.duckdb")


def remove_stale_builds(serving: Path) -> None:
    """Remove the building files (and their write-ahead logs) of runs killed before their rename:
    nothing else ever would. A file whose process still runs is a publish under way and is kept."""
    prefix = f".{serving.stem}."
    for path in serving.parent.glob(building_path(serving, "*").name + "*"):
        pid = path.name.removeprefix(prefix).split(".", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            path.unlink(missing_ok=True)


def publish(warehouse: Path, serving: Path, months: list[str], run_id: str) -> dict:
    """Copy the marts of `warehouse` into `serving` atomically; returns what was published."""
    serving.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(serving)
    building = building_path(serving, os.getpid())
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(building))
    try:
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        tables = served_tables(con, "warehouse")
        if not tables:
            raise RuntimeError(f"no marts to publish in {warehouse}")
        counts = {}
        for table in tables:
            con.execute(f'create table main."{table}" as select * from warehouse.main."{table}"')
            row = con.execute(f'select count(*) from main."{table}"').fetchone()
            assert row is not None  # count(*) returns one row
            counts[table] = row[0]
        con.execute("detach warehouse")
        con.execute(
            "create table serving_meta as select ?::timestamp as published_at, ? as run_id, ?::varchar[] as months",
            [datetime.now(UTC).replace(tzinfo=None), run_id, months],
        )
        con.execute("checkpoint")
    finally:
        con.close()
    os.replace(building, serving)
    return counts
