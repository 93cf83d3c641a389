"""The monthly pipeline: every asset Dagster materialises, for one month or a range in one run."""

import dagster as dg

from orchestration.assets.dbt import devzone_dbt_models, devzone_dbt_quality_models
from orchestration.assets.quality import quality_gate
from orchestration.assets.raw import extracted_facts, raw_reports
from orchestration.assets.serving import serving_snapshot
from orchestration.partitions import monthly

monthly_pipeline = dg.define_asset_job(
    "monthly_pipeline",
    selection=dg.AssetSelection.assets(raw_reports, extracted_facts, quality_gate, serving_snapshot)
    | dg.AssetSelection.assets(devzone_dbt_models, devzone_dbt_quality_models),
    partitions_def=monthly,
    description="Read a month's reports, extract facts, build the marts, check them and publish.",
)
