"""The serving file the app reads, published once the month's checks have passed, and the app."""

import dagster as dg

from devzone import publishing, settings
from orchestration.assets.dbt import devzone_dbt_models, devzone_dbt_quality_models
from orchestration.partitions import WRITER_POOL, monthly
from orchestration.resources import WarehouseResource

MART_KEYS = [
    dg.AssetKey(spec.key.path)
    for spec in [*devzone_dbt_models.specs, *devzone_dbt_quality_models.specs]
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
def serving_snapshot(context: dg.AssetExecutionContext, warehouse_db: WarehouseResource) -> dg.MaterializeResult:
    counts = publishing.publish(
        warehouse_db.database(), settings.serving_path(), list(context.partition_keys), context.run.run_id
    )
    return dg.MaterializeResult(
        metadata={
            "path": str(settings.serving_path()),
            "tables": len(counts),
            "rows": dg.MetadataValue.json(counts),
        }
    )


managers_app = dg.AssetSpec(
    "managers_app",
    deps=[serving_snapshot],
    description="The managers' Streamlit app (app/streamlit_app.py); reads only the serving file.",
    group_name="serving",
    kinds={"streamlit"},
)
