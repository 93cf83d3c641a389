"""Row counts and column types of the tables dbt built, attached to their materializations.

dagster-dbt fetches both through a dbt adapter in the Dagster process while the dbt command runs
(`fetch_row_counts`, `fetch_column_metadata`); DuckDB lets one process write a database file and
no other open it meanwhile, so here they are read once the command has ended: the command's events
are held until then (a dbt command is seconds long), and one query per table and one for every
column then give each model and seed its `dagster/row_count` (tables, not views: counting a view
runs its query) and `dagster/column_schema` (the warehouse's types, with the descriptions dbt's
YAML gives, which dagster-dbt has already put in the schema).

The gate's results as a mart (`fct_quality_result`, every month in one table) get each month of the
run on its own as well (`PER_MONTH`): one entry per month of the run's window (`month 2023-06`:
that month's results by status) and a table of them, so no month shows the run's totals."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import dagster as dg
import duckdb

from devzone import warehouse

SCHEMA = "main"  # where dbt builds (dbt_project/profiles.yml)
MONTH_ENTRY = "month "  # the metadata key of a month's own counts: "month 2023-06"
# Tables whose materializations carry each month of the run's window (raw.run_window) on its own:
# the query gives (period, count, …) for the months between ? and ?, and the names of its counts.
PER_MONTH = {
    "fct_quality_result": (
        "select period, count(*), count(*) filter (status = 'passed'), count(*) filter (status = 'failed'), "
        f"count(*) filter (status = 'warning'), count(*) filter (status = 'acknowledged') from {SCHEMA}.fct_quality_result "
        "where period between ? and ? group by period",
        ("results", "passed", "errors", "warnings", "acknowledged"),
    ),
}


def node_name(event: Any) -> str | None:
    """The relation a model's or seed's Output names (dagster-dbt's unique_id: model.devzone.fct_indicator)."""
    if not isinstance(event, dg.Output):
        return None
    unique_id = str(event.metadata.get("unique_id", dg.MetadataValue.text("")).value)
    kind, _, name = unique_id.partition(".")
    return name.partition(".")[2] if kind in ("model", "seed", "snapshot") else None


def table_facts(con: duckdb.DuckDBPyConnection, names: set[str]) -> dict[str, tuple[int | None, list[tuple[str, str]]]]:
    """Relation name → (row count for a table, None for a view; [(column, type)] in order)."""
    kinds = dict(
        con.execute(
            "select table_name, table_type from information_schema.tables where table_schema = ? "
            "and list_contains(?, table_name)",
            [SCHEMA, sorted(names)],
        ).fetchall()
    )
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, type_ in con.execute(
        "select table_name, column_name, data_type from information_schema.columns where table_schema = ? "
        "and list_contains(?, table_name) order by table_name, ordinal_position",
        [SCHEMA, sorted(names)],
    ).fetchall():
        columns.setdefault(table, []).append((column, type_))
    facts = {}
    for name, kind in kinds.items():
        count = None
        if kind == "BASE TABLE":
            count = con.execute(f'select count(*) from {SCHEMA}."{name}"').fetchone()[0]
        facts[name] = (count, columns.get(name, []))
    return facts


def per_month(con: duckdb.DuckDBPyConnection, names: set[str]) -> dict[str, dict[str, Any]]:
    """Relation name → metadata of each month of the run's window (PER_MONTH's tables built): one
    entry per month, a month without rows saying so, and a Markdown table of them."""
    wanted = sorted(names & set(PER_MONTH))
    if not wanted:
        return {}
    months = warehouse.run_window_months(con)
    window = [months[0], months[-1]]
    metadata = {}
    for name in wanted:
        sql, counted = PER_MONTH[name]
        rows = {period: counts for period, *counts in con.execute(sql, list(window)).fetchall()}
        lines = ["| month | " + " | ".join(counted) + " |", "|---|" + "---|" * len(counted)]
        entries: dict[str, Any] = {}
        for month in months:
            counts = rows.get(month, [0] * len(counted))
            lines.append(f"| {month} | " + " | ".join(str(n) for n in counts) + " |")
            said = ", ".join(f"{n} {what}" for n, what in zip(counts, counted, strict=True))
            entries[f"{MONTH_ENTRY}{month}"] = said if month in rows else f"no {counted[0]}"
        metadata[name] = {"months": dg.MetadataValue.md("\n".join(lines)), **entries}
    return metadata


def descriptions(assets_def: dg.AssetsDefinition, event: dg.Output) -> dict[str, str | None]:
    """The column descriptions of the asset's definition (dagster-dbt takes them from dbt's YAML)."""
    key = assets_def.keys_by_output_name[event.output_name]
    schema = assets_def.specs_by_key[key].metadata.get("dagster/column_schema")
    return {c.name: c.description for c in schema.columns} if isinstance(schema, dg.TableSchema) else {}


def with_metadata(
    event: dg.Output,
    count: int | None,
    columns: list[tuple[str, str]],
    described: dict[str, str | None],
    months: dict[str, Any] | None = None,
) -> dg.Output:
    table = dg.TableSchema(columns=[dg.TableColumn(n, t, description=described.get(n)) for n, t in columns])
    added: dict[str, Any] = {**(months or {}), "dagster/column_schema": table}
    if count is not None:
        added["dagster/row_count"] = dg.MetadataValue.int(count)
    return event.with_metadata({**event.metadata, **added})


def attach_table_metadata(events: Iterable[Any], connect, assets_def: dg.AssetsDefinition) -> Iterator[Any]:
    """`events` of a dbt command, in order, once it has ended, with the built tables' row counts
    and column types (`connect()`: a context manager opening the warehouse; `assets_def`: the dbt
    assets, whose definitions hold the columns' descriptions)."""
    held = list(events)
    names = {n for n in (node_name(e) for e in held) if n}
    if not names:
        yield from held
        return
    with connect() as con:
        facts = table_facts(con, names)
        months = per_month(con, set(facts))
    for event in held:
        name = node_name(event)
        if name in facts:
            yield with_metadata(event, *facts[name], descriptions(assets_def, event), months.get(name))
        else:
            yield event
