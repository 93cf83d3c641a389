"""The dbt project as assets: seeds, staging, intermediate models, marts and reports, with dbt's
tests as asset checks.

The dbt assets are not partitioned by month: each is one table (or view) over every month, built
by one dbt command per run, whatever the run's months. A run's months are data: raw_reports
writes them to raw.run_window, from which the incremental marts and the tests of the marts take
the months they rebuild and check; so the SQL dbt compiles is the same every month and its
partial parse stays warm. (Partitioned, each model recorded a materialization per month of the
run: 41 models × 120 months of bookkeeping in a 10-year backfill, most of its time.)"""

import threading

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from devzone import settings
from devzone.quality import engine
from orchestration.assets.dbt_metadata import attach_table_metadata
from orchestration.partitions import WRITER_POOL
from orchestration.project import devzone_dbt
from orchestration.resources import WarehouseResource

DBT_GROUPS = ("staging", "intermediate", "marts", "reports")
# Models in a folder named quality are grouped with the gate; those tagged quality are built after
# it, from its results (raw.check_results), by their own dbt step.
QUALITY_FOLDER = "quality"
QUALITY_TAG = "tag:quality"


class DevzoneTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", ["", ""])
        if QUALITY_FOLDER in fqn[1:-1]:  # the gate's cross-check models and its results' marts
            return "quality"
        folder = fqn[1:2]
        return folder[0] if folder and folder[0] in DBT_GROUPS else "marts"


def warm_up_gate() -> None:
    """Import Great Expectations (~5 s) in a thread while dbt works in its own process, so the gate
    that follows finds it loaded. In `devzone run` the steps share one process; elsewhere the thread
    costs nothing."""
    threading.Thread(target=engine.import_gx, daemon=True).start()


def dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse_db: WarehouseResource):
    # dbt's unit tests check the models' logic in the test suite (tests/test_dbt_project.py), not on
    # every monthly run. One target folder per home keeps dbt's partial parse between runs.
    args = ["build", "--exclude-resource-type", "unit_test"]
    events = dbt.cli(args, context=context, target_path=settings.dbt_target_dir()).stream()
    yield from attach_table_metadata(events, warehouse_db.connect, context.assets_def)


@dbt_assets(
    manifest=devzone_dbt.manifest_path,
    project=devzone_dbt,
    dagster_dbt_translator=DevzoneTranslator(),
    pool=WRITER_POOL,
    exclude=QUALITY_TAG,
)
def devzone_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse_db: WarehouseResource):
    """Seeds, staging, intermediate models, marts and reports (dbt tests run as checks), and the
    quality gate's cross-check models; not the gate's results (tag quality)."""
    warm_up_gate()  # the gate runs next
    yield from dbt_build(context, dbt, warehouse_db)


@dbt_assets(
    manifest=devzone_dbt.manifest_path,
    project=devzone_dbt,
    select=QUALITY_TAG,
    dagster_dbt_translator=DevzoneTranslator(),
    pool=WRITER_POOL,
    name="devzone_dbt_quality_models",
)
def devzone_dbt_quality_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse_db: WarehouseResource):
    """The quality gate's results as marts (stg_check_results → fct_quality_result → rpt_quality_month),
    built from raw.check_results once the gate has passed: a second, small dbt step (a few nodes, one
    cheap test) after the gate, whose ERROR checks block it."""
    yield from dbt_build(context, dbt, warehouse_db)
