"""The Dagster code location: landing files → raw tables → dbt models → serving file → app.

Every asset is partitioned by month; a backfill of many months runs as one run. Assets that write
DuckDB share the pool `duckdb_writer` (limit 1 in the instance's dagster.yaml).
"""
import contextlib
import json
from collections.abc import Iterator

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration import landing, publishing, quality, settings, warehouse
from orchestration.dbt_project import dbt_resource, devzone_dbt, ensure_manifest

ensure_manifest()

WRITER_POOL = "duckdb_writer"
monthly = dg.MonthlyPartitionsDefinition(
    start_date=settings.FIRST_MONTH, fmt="%Y-%m", timezone=settings.TIMEZONE, end_offset=settings.months_ahead()
)

landing_reports = dg.AssetSpec(
    "landing_reports",
    description="Report files as the cities filed them, under <home>/landing/YYYY-MM/.",
    partitions_def=monthly,
    group_name="landing",
    kinds={"file"},
)
managers_app = dg.AssetSpec(
    "managers_app",
    deps=["serving_snapshot"],
    description="The managers' Streamlit app (app/streamlit_app.py); reads only the serving file.",
    group_name="serving",
    kinds={"streamlit"},
)


@contextlib.contextmanager
def open_warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    """The working warehouse; a lock held by another process is transient and retried, a damaged
    file fails the step with what to do."""
    try:
        con = warehouse.connect(settings.warehouse_path())
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise dg.RetryRequested(max_retries=5, seconds_to_wait=3) from exc
        path = settings.warehouse_path()
        raise dg.Failure(warehouse.corrupt_warehouse_advice(path, str(exc).splitlines()[0])) from exc
    try:
        yield con
    finally:
        con.close()


def month_dir(month: str):
    return settings.landing_dir() / month


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


def table_specs(op: str, tables: dict[str, str], deps) -> list[dg.AssetSpec]:
    """One asset per raw table (dbt sources map to them one to one), written by one op."""
    return [
        dg.AssetSpec([op, table], deps=deps, description=text, group_name="raw", kinds={"python", "duckdb"})
        for table, text in tables.items()
    ]


@dg.multi_asset(
    name="raw_reports",
    specs=table_specs("raw_reports", RAW_REPORT_TABLES, [landing_reports]),
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WRITER_POOL,
)
def raw_reports(context: dg.AssetExecutionContext):
    """Read every landing file of the month into the raw tables; re-running replaces the month."""
    months = context.partition_keys
    path = settings.warehouse_path()
    if reason := warehouse.unreadable_reason(path):
        raise dg.Failure(warehouse.corrupt_warehouse_advice(path, reason))
    totals = {"documents": 0, "duplicates": 0, "superseded": 0, "quarantined": 0}
    quarantined = []
    with open_warehouse() as con:
        for month in months:
            filing = warehouse.load_documents(con, month, month_dir(month))
            totals["documents"] += len(filing.current)
            totals["duplicates"] += len(filing.duplicates)
            totals["superseded"] += len(filing.superseded)
            totals["quarantined"] += len(filing.refused)
            quarantined += [f"{month}/{r.file_name}: {r.reason}" for r in filing.refused]
            for refused in filing.refused:
                context.log.error(f"quarantined {month}/{refused.file_name}: {refused.reason}")
    span = ", ".join(months) if len(months) <= 12 else f"{months[0]} … {months[-1]} ({len(months)})"
    yield dg.MaterializeResult(asset_key=["raw_reports", "documents"], metadata={
        "documents": totals["documents"], "duplicates": totals["duplicates"], "months": span,
    })
    yield dg.MaterializeResult(asset_key=["raw_reports", "document_history"], metadata={"superseded": totals["superseded"]})
    yield dg.MaterializeResult(asset_key=["raw_reports", "duplicate_files"], metadata={"duplicates": totals["duplicates"]})
    yield dg.MaterializeResult(asset_key=["raw_reports", "quarantine"], metadata={
        "quarantined": totals["quarantined"],
        "files": dg.MetadataValue.md("\n".join(f"- {q}" for q in quarantined) or "none"),
    })


@dg.multi_asset(
    name="extracted_facts",
    specs=table_specs("extracted_facts", FACT_TABLES, [dg.AssetKey(["raw_reports", "documents"])]),
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WRITER_POOL,
)
def extracted_facts(context: dg.AssetExecutionContext):
    """Extract the facts of the month's current documents; re-running replaces the month."""
    per_document: dict[str, int] = {}
    with open_warehouse() as con:
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


class DevzoneTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        folder = dbt_resource_props.get("fqn", ["", ""])[1:2]
        return {"staging": "staging", "intermediate": "intermediate", "marts": "marts", "reports": "reports"}.get(
            folder[0] if folder else "", "marts"
        )


def dbt_vars(context: dg.AssetExecutionContext) -> dict[str, str]:
    keys = context.partition_keys
    return {"period_start": keys[0], "period_end": keys[-1]}


def dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    # dbt's unit tests check the models' logic in the test suite (tests/test_dbt_project.py), not on
    # every monthly run.
    args = ["build", "--vars", json.dumps(dbt_vars(context)), "--exclude-resource-type", "unit_test"]
    yield from dbt.cli(args, context=context).stream()


@dbt_assets(
    manifest=devzone_dbt.manifest_path,
    project=devzone_dbt,
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    dagster_dbt_translator=DevzoneTranslator(),
    pool=WRITER_POOL,
)
def devzone_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Seeds, staging, intermediate models, marts and reports (dbt tests run as checks)."""
    yield from dbt_build(context, dbt)


SUITES = quality.SUITE_NAMES


QUALITY_DEPS = [
    dg.AssetKey(["raw_reports", "documents"]),
    *(dg.AssetKey(["extracted_facts", t]) for t in FACT_TABLES),
    dg.AssetKey("fct_indicator"),
    dg.AssetKey("fct_project_pipeline"),
]


@dg.multi_asset(
    name="quality_results",
    specs=[
        dg.AssetSpec(
            "fct_quality_result", deps=QUALITY_DEPS, group_name="quality", kinds={"great_expectations", "duckdb"},
            description="The quality gate: every Great Expectations suite (expectations/) validated per month on "
            "the month's facts and marts (pandas frames read from DuckDB); one row per expectation and month "
            "with severity, success, observed value and failing rows. Data Docs in <home>/data_docs.",
        ),
        dg.AssetSpec(
            "rpt_quality_month", deps=["fct_quality_result"], group_name="quality", kinds={"duckdb"},
            description="The quality status of each validated month (expectations, errors, warnings).",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(suite, asset="fct_quality_result", blocking=True,
                          description=f"Great Expectations suite expectations/{suite}.json; ERROR failures block publishing.")
        for suite in SUITES
    ],
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WRITER_POOL,
)
def quality_results(context: dg.AssetExecutionContext):
    ref = quality.load_reference_data()
    results: dict[str, list[tuple[str, quality.CheckResult]]] = {suite: [] for suite in SUITES}
    validations = []
    with open_warehouse() as con:
        for month in context.partition_keys:
            validation = quality.run_month(month, quality.load_month_frames(con, month), ref)
            warehouse.store_check_results(con, month, context.run.run_id, validation.checks)
            validations.append(validation)
            for check in validation.checks:
                results[check.suite].append((month, check))
    docs = quality.build_data_docs(validations, settings.data_docs_dir()) if validations else None
    errors = [(m, c) for items in results.values() for m, c in items if not c.success and c.severity == "ERROR"]
    for month, check in errors:
        context.log.error(f"{month} {check.name}: {check.rule} Observed: {check.observed_value}")
    yield dg.MaterializeResult(asset_key="fct_quality_result", metadata={
        "expectations": sum(len(items) for items in results.values()),
        "errors": len(errors),
        "warnings": sum(1 for items in results.values() for _, c in items if not c.success and c.severity == "WARN"),
        "data_docs": dg.MetadataValue.path(str(docs)) if docs else "none",
    })
    yield dg.MaterializeResult(asset_key="rpt_quality_month")
    for suite, items in results.items():
        failed = [(m, c) for m, c in items if not c.success]
        suite_errors = [(m, c) for m, c in failed if c.severity == "ERROR"]
        yield dg.AssetCheckResult(
            asset_key="fct_quality_result",
            check_name=suite,
            passed=not failed,
            severity=dg.AssetCheckSeverity.ERROR if suite_errors else dg.AssetCheckSeverity.WARN,
            description="; ".join(f"{m} {c.expectation} ({c.severity})" for m, c in failed) or "all expectations hold",
            metadata={
                "expectations": len(items),
                "failed_errors": len(suite_errors),
                "failed_warnings": len(failed) - len(suite_errors),
                "failures": dg.MetadataValue.md(failure_table(failed)),
            },
        )


def failure_table(failed: list[tuple[str, "quality.CheckResult"]]) -> str:
    if not failed:
        return "all expectations hold"
    lines = ["| month | severity | expectation | observed | failing rows | sample |", "|---|---|---|---|---|---|"]
    for month, c in failed:
        sample = json.dumps(c.failing_sample[:2], ensure_ascii=False, default=str).replace("|", "/")
        lines.append(f"| {month} | {c.severity} | {c.expectation} | {c.observed_value} | {c.failing_count} | {sample[:300]} |")
    return "\n".join(lines)


MART_KEYS = [
    dg.AssetKey(spec.key.path)
    for spec in [*devzone_dbt_models.specs, *quality_results.specs]
    if spec.key.path[-1].startswith(publishing.SERVED_PREFIXES)
]


@dg.asset(
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    deps=MART_KEYS,
    pool=WRITER_POOL,
    group_name="serving",
    kinds={"duckdb"},
    description="The marts copied into <home>/serving.duckdb (built aside, renamed into place) once "
    "the month's checks have passed. The app reads nothing else.",
)
def serving_snapshot(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    counts = publishing.publish(
        settings.warehouse_path(), settings.serving_path(), list(context.partition_keys), context.run.run_id
    )
    return dg.MaterializeResult(metadata={
        "path": str(settings.serving_path()),
        "tables": len(counts),
        "rows": dg.MetadataValue.json(counts),
    })


monthly_pipeline = dg.define_asset_job(
    "monthly_pipeline",
    selection=dg.AssetSelection.assets(raw_reports, extracted_facts, quality_results, serving_snapshot)
    | dg.AssetSelection.assets(devzone_dbt_models),
    partitions_def=monthly,
    description="Read a month's reports, extract facts, build the marts, check them and publish.",
)

monthly_schedule = dg.build_schedule_from_partitioned_job(
    monthly_pipeline,
    name="monthly_pipeline_schedule",
    day_of_month=3,
    hour_of_day=6,
    description="Early each month (the 3rd, 06:00 Beijing time), for the month just ended.",
)


@dg.sensor(job=monthly_pipeline, minimum_interval_seconds=60, description="Runs a month whose landing folder changed.")
def landing_sensor(context: dg.SensorEvaluationContext):
    seen = json.loads(context.cursor) if context.cursor else {}
    months, skipped = landing.landed_months()
    for name, reason in skipped:
        context.log.warning(f"landing/{name} is not run: {reason}")
    for month in months:
        fingerprint = landing.fingerprint(month_dir(month))
        if seen.get(month) != fingerprint:
            seen[month] = fingerprint
            yield dg.RunRequest(partition_key=month, run_key=f"{month}:{fingerprint[:16]}")
    context.update_cursor(json.dumps(seen, sort_keys=True))


defs = dg.Definitions(
    assets=[
        landing_reports, raw_reports, extracted_facts, devzone_dbt_models, quality_results, serving_snapshot,
        managers_app,
    ],
    jobs=[monthly_pipeline],
    schedules=[monthly_schedule],
    sensors=[landing_sensor],
    resources={"dbt": dbt_resource()},
)
