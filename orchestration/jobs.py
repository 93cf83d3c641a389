"""The monthly pipeline: every asset Dagster materialises, for one month or a range of months.

Only the assets that read a month's reports are partitioned by month; the marts, the gate and the
serving file are tables of every month that cover the run's months (raw.run_window). A run over a
range is two runs of this job (orchestration/runner.py), as Dagster's own backfills split assets by
partitioning: in one run over a range Dagster would plan every unpartitioned asset once a month.
"""

import dagster as dg

from orchestration.assets.corrections import corrections_journal
from orchestration.assets.dbt import devzone_dbt_models, devzone_dbt_quality_models
from orchestration.assets.quality import quality_gate
from orchestration.assets.raw import extracted_facts, raw_reports
from orchestration.assets.scans import scanned_texts
from orchestration.assets.serving import serving_snapshot

# OCR of new scans: part of the job (a run the schedule or the sensor starts reads its scans with the
# job's multiprocess executor); `devzone run` runs it apart first, as orchestration/scan_job.py.
OCR_ASSETS = (scanned_texts,)
MONTHLY_ASSETS = (*OCR_ASSETS, raw_reports, extracted_facts)  # partitioned by month: one run over a range
WAREHOUSE_ASSETS = (corrections_journal, devzone_dbt_models, quality_gate, devzone_dbt_quality_models, serving_snapshot)

monthly_pipeline = dg.define_asset_job(
    "monthly_pipeline",
    selection=dg.AssetSelection.assets(*MONTHLY_ASSETS, *WAREHOUSE_ASSETS),
    description="Read a month's reports, extract facts, build the marts, check them and publish.",
)
