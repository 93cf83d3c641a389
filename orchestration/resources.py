"""Resources the assets are given: the working warehouse (DuckDB) and the dbt CLI."""

from __future__ import annotations

import contextlib
import importlib.metadata
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging import version

from devzone import settings, warehouse
from orchestration.project import DBT_EXECUTABLE, devzone_dbt


class WarehouseResource(dg.ConfigurableResource):
    """The working warehouse under the home (`<home>/warehouse.duckdb` unless `path` is set).

    The path is resolved when a step connects, not when the definitions load: a process may run
    several homes one after another (the tests do)."""

    path: str | None = None

    def database(self) -> Path:
        return Path(self.path) if self.path else settings.warehouse_path()

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A lock held by another process is transient and retried; a damaged file fails the step
        with what to do."""
        path = self.database()
        try:
            con = warehouse.connect(path)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise dg.RetryRequested(max_retries=5, seconds_to_wait=3) from exc
            raise dg.Failure(warehouse.corrupt_warehouse_advice(path, str(exc).splitlines()[0])) from exc
        try:
            yield con
        finally:
            con.close()


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt resource without two costs of each dbt command that devzone does not need.

    Before running dbt, dagster-dbt (0.29) asks the executable for its version in a dbt process of
    its own (~4 s here, at every run: resources are made anew per run), and opens a dbt adapter
    in this process, used only to fetch row counts and column metadata, which devzone does not
    ask for. The executable is the dbt-core installed beside devzone (`devzone-dbt` execs it), so
    its version is the installed package's; and without an adapter dagster-dbt does everything
    else as before. These are two private methods of dagster-dbt: tests/test_definitions.py pins
    them, so an upgrade that renames them fails there instead of silently costing the seconds."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]):  # type: ignore[override]
        return None


def dbt_resource() -> DbtCliResource:
    return DbtCli(project_dir=devzone_dbt, dbt_executable=DBT_EXECUTABLE)


RESOURCES = {"warehouse_db": WarehouseResource(), "dbt": dbt_resource()}
