"""The serving file the app reads, published once the month's checks have passed, and the app."""

import dagster as dg

from devzone import publishing, settings, warehouse
from orchestration.assets.dbt import devzone_dbt_models, devzone_dbt_quality_models
from orchestration.partitions import WRITER_POOL, months_label
from orchestration.resources import WarehouseResource

MART_KEYS = [
    dg.AssetKey(spec.key.path)
    for spec in [*devzone_dbt_models.specs, *devzone_dbt_quality_models.specs]
    if spec.key.path[-1].startswith(publishing.SERVED_PREFIXES)
]


@dg.asset(
    deps=MART_KEYS,
    pool=WRITER_POOL,
    group_name="serving",
    kinds={"duckdb"},
    description="The marts copied into <home>/serving.duckdb (built aside, renamed into place) once "
    "the checks of the run's months have passed. The app reads nothing else.",
)
def serving_snapshot(context: dg.AssetExecutionContext, warehouse_db: WarehouseResource) -> dg.MaterializeResult:
    # Not partitioned: the serving file holds every month; the run's months come from raw.run_window.
    with warehouse_db.connect() as con:
        months = warehouse.run_window_months(con)
    counts = publishing.publish(warehouse_db.database(), settings.serving_path(), months, context.run.run_id)
    return dg.MaterializeResult(
        metadata={
            "months": months_label(months),
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
