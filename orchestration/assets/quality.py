"""The quality gate: every Great Expectations suite (expectations/) validated on the run's months'
facts, marts and cross-check models (once over the months together, then told apart by month); its results written to raw.check_results. Each suite is a blocking
check of the gate's asset: an ERROR failure stops the run before dbt builds the quality marts and
before the serving file is published.

The gate covers the run's months in one step, so its results are per month in the metadata: the
gate's materialization and each suite's check carry one entry per month validated (`month
2023-06`: that month's own counts) and a table of them, never the run's totals as if they were one
month's. (Dagster 1.13's partitioned asset checks, a preview, must share their asset's partitions,
and the gate's asset is deliberately not partitioned: see orchestration/assets/dbt.py.)"""

import dagster as dg

from devzone import settings, warehouse
from devzone.extraction.reference import load_reference
from devzone.quality import SUITE_NAMES
from devzone.quality.data_docs import build_data_docs
from devzone.quality.gate import validate_months
from devzone.quality.results import CheckResult, MonthValidation
from orchestration.assets.raw import FACT_TABLES, column_schema
from orchestration.partitions import WRITER_POOL, months_label
from orchestration.resources import WarehouseResource

# The gate's asset: raw.check_results, the dbt source of fct_quality_result (sources.yml maps it here).
CHECK_RESULTS = dg.AssetKey(["quality_gate", "check_results"])
# What the gate reads: the raw facts, the fact marts and the cross-checks' model.
GATE_INPUTS = [
    *(dg.AssetKey(["extracted_facts", t]) for t in FACT_TABLES),
    dg.AssetKey("fct_indicator"),
    dg.AssetKey("fct_project_pipeline"),
    dg.AssetKey("int_cross_checks"),
]


@dg.multi_asset(
    name="quality_gate",
    specs=[
        dg.AssetSpec(
            CHECK_RESULTS,
            deps=GATE_INPUTS,
            group_name="quality",
            kinds={"great_expectations", "duckdb"},
            description="The quality gate: every Great Expectations suite (expectations/) validated over the run's "
            "months on their extracted facts, fact marts and cross-check models (int_cross_checks); one row per "
            "expectation and month in raw.check_results (severity, success, observed value, failing rows), "
            "from which dbt builds fct_quality_result. Data Docs in <home>/data_docs.",
            metadata=column_schema("check_results"),
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            suite,
            asset=CHECK_RESULTS,
            blocking=True,
            description=f"Great Expectations suite expectations/{suite}.json; ERROR failures block publishing.",
        )
        for suite in SUITE_NAMES
    ],
    pool=WRITER_POOL,
)
def quality_gate(context: dg.AssetExecutionContext, warehouse_db: WarehouseResource):
    # Not partitioned: like the dbt models, the gate covers the run's months (raw.run_window), so a
    # run over many months plans and records it once, not once a month.
    with warehouse_db.connect() as con:
        validation = validate_months(con, warehouse.run_window_months(con), load_reference())
        for month in validation.months:
            warehouse.store_check_results(con, month.period, context.run.run_id, month.checks)
    docs = build_data_docs(validation, settings.data_docs_dir())
    results: dict[str, list[tuple[str, CheckResult]]] = {suite: [] for suite in SUITE_NAMES}
    for month in validation.months:
        for check in month.checks:
            results[check.suite].append((month.period, check))
    errors = [(m, c) for items in results.values() for m, c in items if not c.success and c.severity == "ERROR"]
    for month, check in errors:
        context.log.error(f"{month} {check.name}: {check.rule} Observed: {check.observed_value}")
    yield dg.MaterializeResult(
        asset_key=CHECK_RESULTS,
        metadata={
            **per_month_metadata(validation.months),
            "validation_seconds": round(validation.seconds, 2),
            "data_docs": dg.MetadataValue.path(str(docs)),
        },
    )
    for suite, items in results.items():
        failed = [(m, c) for m, c in items if not c.success]
        suite_errors = [(m, c) for m, c in failed if c.severity == "ERROR"]
        yield dg.AssetCheckResult(
            asset_key=CHECK_RESULTS,
            check_name=suite,
            passed=not failed,
            severity=dg.AssetCheckSeverity.ERROR if suite_errors else dg.AssetCheckSeverity.WARN,
            description=check_description(failed),
            metadata={
                **per_month_metadata(validation.months, suite),
                "failures": dg.MetadataValue.md(failure_table(failed)),
            },
        )


MONTH_ENTRY = "month "  # the metadata key of a month's own counts: "month 2023-06"


def month_counts(checks: list[CheckResult]) -> dict[str, int]:
    """A month's own counts of results: expectations evaluated, passed, failed ERROR, failed WARN."""
    return {
        "expectations": len(checks),
        "passed": sum(1 for c in checks if c.success),
        "errors": sum(1 for c in checks if not c.success and c.severity == "ERROR"),
        "warnings": sum(1 for c in checks if not c.success and c.severity == "WARN"),
    }


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items())


def per_month_metadata(months: list[MonthValidation], suite: str | None = None) -> dict[str, object]:
    """The results of the run's months, each month on its own (of one suite, or of every suite):
    which months (`months validated`), a table of each month's counts (`months`), and one entry per
    month (`month 2023-06`: "93 expectations, 92 passed, 0 errors, 1 warnings"). Of the run as a
    whole only counts of months: how many had errors or warnings."""
    counts = {m.period: month_counts([c for c in m.checks if suite is None or c.suite == suite]) for m in months}
    lines = ["| month | expectations | passed | errors | warnings |", "|---|---|---|---|---|"]
    lines += [f"| {month} | " + " | ".join(str(n) for n in c.values()) + " |" for month, c in counts.items()]
    return {
        "months validated": months_label(list(counts)),
        "months with errors": sum(1 for c in counts.values() if c["errors"]),
        "months with warnings": sum(1 for c in counts.values() if c["warnings"]),
        "months": dg.MetadataValue.md("\n".join(lines)),
        **{f"{MONTH_ENTRY}{month}": counts_text(c) for month, c in counts.items()},
    }


SHOWN_FAILURES = 5


def check_description(failed: list[tuple[str, CheckResult]]) -> str:
    """The first few failures by month and expectation (what the run's summary prints), and how
    many more: a backfill can fail one expectation in every month; the metadata lists them all."""
    if not failed:
        return "all expectations hold"
    shown = "; ".join(f"{m} {c.expectation} ({c.severity})" for m, c in failed[:SHOWN_FAILURES])
    more = len(failed) - SHOWN_FAILURES
    months = len({m for m, _ in failed})
    return shown + (f"; and {more} more in {months} months (see the check's metadata)" if more > 0 else "")


def cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "/").replace("\n", " ")[:200]


def sample_table(rows: list[dict]) -> str:
    """Failing rows as a Markdown table, their columns in first-seen order."""
    if not rows:
        return ""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row.get(c)) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def failure_table(failed: list[tuple[str, CheckResult]]) -> str:
    """Each failed expectation of the suite by month: what was observed and its failing rows."""
    if not failed:
        return "all expectations hold"
    parts = []
    for month, c in failed:
        parts.append(f"**{month} · {c.severity} · {c.expectation}**: {cell(c.observed_value)} ({c.failing_count} rows)")
        if c.failing_sample:
            parts.append(sample_table(c.failing_sample))
    return "\n\n".join(parts)
