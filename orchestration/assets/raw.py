"""The raw tables: the month's landing files read (raw_reports), and the facts extracted from the
current documents (extracted_facts). dbt's sources map to these assets one table to one asset."""

import dagster as dg

from devzone import raw_tables, settings, warehouse
from orchestration.assets.landing import landing_reports
from orchestration.assets.scans import scanned_texts
from orchestration.partitions import WRITER_POOL, monthly, months_label
from orchestration.resources import WarehouseResource

RAW_REPORT_TABLES = {
    "documents": "The month's current report documents: id (SHA-256), file name, size, encoding, raw and normalised text.",
    "document_history": "Every version of every report ever filed, current, superseded or withdrawn.",
    "quarantine": "Entries of the month's landing folder that were not read (unreadable, misfiled, links, "
    "subfolders, oversized), with the reason.",
    "duplicate_files": "Files whose bytes are those of a kept file of the month, with the kept file's name.",
}
FACT_TABLES = {
    "indicator_facts": "Indicator facts (value, unit, year-on-year growth, basis) with their evidence sentence and spans.",
    "pipeline_facts": "三个一批 campaign facts (scope, stage, measure, value) with their evidence sentence and spans.",
}


def column_schema(table: str) -> dict:
    """The raw table's columns (devzone/raw_tables.py: name, DuckDB type, note) as Dagster's column
    schema, for the asset's page (the dbt models get theirs from dbt)."""
    columns = [
        dg.TableColumn(
            c.name, c.type, description=c.note or None, constraints=dg.TableColumnConstraints(nullable=not c.not_null)
        )
        for c in raw_tables.BY_NAME[table].columns
    ]
    return {"dagster/column_schema": dg.TableSchema(columns=columns), "dagster/table_name": f"raw.{table}"}


def table_specs(op: str, tables: dict[str, str], deps) -> list[dg.AssetSpec]:
    """One asset per raw table (dbt sources map to them one to one), written by one op."""
    return [
        dg.AssetSpec(
            [op, table],
            deps=deps,
            description=text,
            group_name="raw",
            kinds={"python", "duckdb"},
            metadata=column_schema(table),
        )
        for table, text in tables.items()
    ]


@dg.multi_asset(
    name="raw_reports",
    specs=table_specs("raw_reports", RAW_REPORT_TABLES, [landing_reports, scanned_texts]),
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WRITER_POOL,
)
def raw_reports(context: dg.AssetExecutionContext, warehouse_db: WarehouseResource):
    """Read every landing file of the month into the raw tables; re-running replaces the month."""
    months = context.partition_keys
    path = warehouse_db.database()
    if reason := warehouse.unreadable_reason(path):
        raise dg.Failure(warehouse.corrupt_warehouse_advice(path, reason))
    totals = {"documents": 0, "duplicates": 0, "superseded": 0, "quarantined": 0}
    quarantined = []
    with warehouse_db.connect() as con:
        for month in months:
            filing = warehouse.load_documents(con, month, settings.landing_dir() / month)
            totals["documents"] += len(filing.current)
            totals["duplicates"] += len(filing.duplicates)
            totals["superseded"] += len(filing.superseded)
            totals["quarantined"] += len(filing.refused)
            quarantined += [f"{month}/{r.file_name}: {r.reason}" for r in filing.refused]
            for refused in filing.refused:
                context.log.error(f"quarantined {month}/{refused.file_name}: {refused.reason}")
        # The months dbt rebuilds next (its incremental marts and their tests keep to them).
        warehouse.record_run_window(con, months[0], months[-1])
    yield dg.MaterializeResult(
        asset_key=["raw_reports", "documents"],
        metadata={
            "documents": totals["documents"],
            "duplicates": totals["duplicates"],
            "months": months_label(months),
        },
    )
    yield dg.MaterializeResult(
        asset_key=["raw_reports", "document_history"], metadata={"superseded": totals["superseded"]}
    )
    yield dg.MaterializeResult(
        asset_key=["raw_reports", "duplicate_files"], metadata={"duplicates": totals["duplicates"]}
    )
    yield dg.MaterializeResult(
        asset_key=["raw_reports", "quarantine"],
        metadata={
            "quarantined": totals["quarantined"],
            "files": dg.MetadataValue.md("\n".join(f"- {q}" for q in quarantined) or "none"),
        },
    )


@dg.multi_asset(
    name="extracted_facts",
    specs=table_specs("extracted_facts", FACT_TABLES, [dg.AssetKey(["raw_reports", "documents"])]),
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WRITER_POOL,
)
def extracted_facts(context: dg.AssetExecutionContext, warehouse_db: WarehouseResource):
    """Extract the facts of the month's current documents; re-running replaces the month."""
    per_document: dict[str, int] = {}
    with warehouse_db.connect() as con:
        for month in context.partition_keys:
            for name, count in warehouse.load_facts(con, month).items():
                per_document[f"{month}/{name}"] = count
    empty = sorted(name for name, count in per_document.items() if count == 0)
    metadata = {
        "facts": sum(per_document.values()),
        "documents": len(per_document),
        "documents_without_facts": dg.MetadataValue.md("\n".join(f"- {n}" for n in empty) or "none"),
    }
    yield dg.MaterializeResult(asset_key=["extracted_facts", "indicator_facts"], metadata=metadata)
    yield dg.MaterializeResult(asset_key=["extracted_facts", "pipeline_facts"], metadata=metadata)
