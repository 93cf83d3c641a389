"""The raw tables' columns are defined once (devzone/raw_tables.py); everything else that names them
must agree: the DDL and the inserts (made from the definitions), dbt's `raw` source (sources.yml)
and the quality gate's column sets (expectations/extracted_*.json)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import yaml

from devzone import raw_tables, warehouse

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "dbt_project" / "models" / "staging" / "sources.yml"
EXPECTATIONS = ROOT / "expectations"
# The suite that validates each raw fact table (devzone/quality.py reads the frames with select *).
SUITE_OF_TABLE = {"indicator_facts": "extracted_indicator_facts", "pipeline_facts": "extracted_pipeline_facts"}


def declared_sources() -> dict[str, list[str]]:
    config = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))
    (raw,) = [s for s in config["sources"] if s["name"] == "raw"]
    return {t["name"]: [c["name"] for c in t.get("columns", [])] for t in raw["tables"]}


def gx_column_set(suite: str) -> tuple[list[str], bool]:
    spec = json.loads((EXPECTATIONS / f"{suite}.json").read_text(encoding="utf-8"))
    (expectation,) = [e for e in spec["expectations"] if e["type"] == "expect_table_columns_to_match_set"]
    return expectation["kwargs"]["column_set"], bool(expectation["kwargs"].get("exact_match", True))


def test_the_warehouse_creates_the_defined_tables():
    con = duckdb.connect()
    try:
        con.execute(warehouse.RAW_DDL)
        con.execute(warehouse.RAW_DDL)  # idempotent: run on every connect
        built = {}
        for table, column, type_, nullable in con.execute(
            "select table_name, column_name, data_type, is_nullable from information_schema.columns "
            "where table_schema = 'raw' order by table_name, ordinal_position"
        ).fetchall():
            built.setdefault(table, []).append((column, type_.lower(), nullable == "NO"))
    finally:
        con.close()
    assert built == {t.name: [(c.name, c.type, c.not_null) for c in t.columns] for t in raw_tables.RAW_TABLES}


def test_a_warehouse_built_before_the_later_columns_gains_them_with_their_defaults():
    con = duckdb.connect()
    try:
        con.execute("create schema raw")
        con.execute(
            "create table raw.documents (period varchar, doc_id varchar, file_name varchar, size_bytes bigint, "
            "encoding varchar, report_city varchar, raw_text varchar, normalised_text varchar, "
            "filed_at timestamp, status varchar)"
        )
        con.execute(
            "insert into raw.documents values ('2023-06', 'd', 'f.txt', 1, 'utf-8', null, 't', 't', now(), 'current')"
        )
        con.execute(warehouse.RAW_DDL)
        row = con.execute("select report_kind, is_revision, stated_period from raw.documents").fetchone()
    finally:
        con.close()
    assert row == ("monthly_report", False, None)


def test_the_insert_column_lists_are_the_tables_columns():
    assert warehouse.DOCUMENT_COLUMNS == raw_tables.DOCUMENTS.names
    assert warehouse.HISTORY_COLUMNS == raw_tables.DOCUMENT_HISTORY.names
    tail = warehouse.CONFIDENCE_COLUMNS + warehouse.PROVENANCE_COLUMNS
    assert warehouse.FACT_HEAD_COLUMNS + warehouse.INDICATOR_COLUMNS + tail == raw_tables.INDICATOR_FACTS.names
    assert warehouse.FACT_HEAD_COLUMNS + warehouse.PIPELINE_COLUMNS + tail == raw_tables.PIPELINE_FACTS.names


def test_sources_yml_declares_exactly_the_raw_tables_and_their_columns():
    declared = declared_sources()
    sources = {t.name: list(t.names) for t in raw_tables.RAW_TABLES if t.dbt_source}
    others = {t.name for t in raw_tables.RAW_TABLES if not t.dbt_source}
    assert not set(declared) & others, (
        f"{sorted(set(declared) & others)} are declared in sources.yml: set dbt_source=True in devzone/raw_tables.py"
    )
    assert set(declared) == set(sources), "the tables of source 'raw' differ from devzone/raw_tables.py"
    for name, columns in sources.items():
        assert declared[name] == columns, (
            f"sources.yml raw.{name}: missing {[c for c in columns if c not in declared[name]]}, "
            f"unknown {[c for c in declared[name] if c not in columns]}, or another order"
        )


@pytest.mark.parametrize("table", sorted(SUITE_OF_TABLE))
def test_the_gates_column_sets_are_columns_of_the_raw_tables(table):
    column_set, _ = gx_column_set(SUITE_OF_TABLE[table])
    unknown = [c for c in column_set if c not in raw_tables.BY_NAME[table].names]
    assert not unknown, (
        f"expectations/{SUITE_OF_TABLE[table]}.json requires columns raw.{table} does not have: {unknown}"
    )


@pytest.mark.parametrize("table", sorted(SUITE_OF_TABLE))
def test_the_gates_column_sets_equal_the_raw_tables(table):
    column_set, _ = gx_column_set(SUITE_OF_TABLE[table])
    assert sorted(column_set) == sorted(raw_tables.BY_NAME[table].names)
