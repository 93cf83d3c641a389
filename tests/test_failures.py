"""What failed runs leave behind, and how the next run deals with it (without a pipeline run)."""

from __future__ import annotations

import subprocess
import sys

import duckdb

from devzone import publishing


def small_warehouse(path):
    con = duckdb.connect(str(path))
    try:
        con.execute("create table fct_x as select 1 as x")
    finally:
        con.close()
    return path


def building_files(serving, pid: int) -> list:
    """A building file of `pid` and its write-ahead log, as a run killed before its rename leaves them."""
    building = serving.with_name(f".{serving.stem}.{pid}.building.duckdb")
    wal = building.with_name(building.name + ".wal")
    for path in (building, wal):
        path.write_bytes(b"half-built")
    return [building, wal]


def test_publishing_removes_the_building_files_of_dead_runs_and_keeps_those_of_running_ones(tmp_path):
    warehouse = small_warehouse(tmp_path / "warehouse.duckdb")
    serving = tmp_path / "serving.duckdb"
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    running = subprocess.Popen(["sleep", "60"])
    try:
        dead = building_files(serving, ended.pid)
        alive = building_files(serving, running.pid)
        assert publishing.publish(warehouse, serving, ["2023-06"], "run") == {"fct_x": 1}
        assert not any(path.exists() for path in dead)
        assert all(path.exists() for path in alive)
    finally:
        running.kill()
        running.wait()
    con = duckdb.connect(str(serving), read_only=True)
    try:
        assert con.execute("select x from fct_x").fetchall() == [(1,)]
    finally:
        con.close()
