"""The Dagster code location: landing files → OCR of the scans → raw tables → dbt models → quality gate → serving
file → app.

Every asset is partitioned by month; a backfill of many months runs as one run. Assets that write
DuckDB share the pool `duckdb_writer` (limit 1 in the instance's dagster.yaml).
"""

import dagster as dg

from orchestration.assets.corrections import corrections_journal
from orchestration.assets.dbt import devzone_dbt_models, devzone_dbt_quality_models
from orchestration.assets.landing import landing_reports
from orchestration.assets.quality import quality_gate
from orchestration.assets.raw import extracted_facts, raw_reports
from orchestration.assets.scans import scanned_texts
from orchestration.assets.serving import managers_app, serving_snapshot
from orchestration.jobs import monthly_pipeline
from orchestration.resources import RESOURCES
from orchestration.schedules import monthly_schedule
from orchestration.sensors import corrections_sensor, landing_sensor

defs = dg.Definitions(
    assets=[
        landing_reports,
        scanned_texts,
        raw_reports,
        extracted_facts,
        corrections_journal,
        devzone_dbt_models,
        quality_gate,
        devzone_dbt_quality_models,
        serving_snapshot,
        managers_app,
    ],
    jobs=[monthly_pipeline],
    schedules=[monthly_schedule],
    sensors=[landing_sensor, corrections_sensor],
    resources=RESOURCES,
)
