"""The OCR job `devzone run` starts before the monthly pipeline when scans are waiting: the asset
scanned_texts alone, under Dagster's multiprocess executor, one process a file up to the cores.

Kept apart from orchestration/definitions.py so that each step's process loads only this (Dagster
and the OCR), not the dbt project; the same asset is part of the monthly job, where a month whose
scans are all in the OCR cache fans out to nothing.
"""

import os

import dagster as dg

from orchestration.assets.landing import landing_reports
from orchestration.assets.scans import scanned_texts

JOB_NAME = "read_scans"


def read_scans_job() -> dg.JobDefinition:
    """The job, resolved (dg.reconstructable needs a function its step processes can call)."""
    job = dg.define_asset_job(
        JOB_NAME,
        selection=[scanned_texts],
        executor_def=dg.multiprocess_executor,
        description="OCR the month's scanned files into the OCR cache, a process a file.",
    )
    return dg.Definitions(assets=[landing_reports, scanned_texts], jobs=[job]).resolve_job_def(JOB_NAME)


def ocr_processes() -> int:
    """Processes for OCR: DEVZONE_OCR_PROCESSES, else one a core (each OCR process uses one thread)."""
    return max(1, int(os.environ.get("DEVZONE_OCR_PROCESSES") or os.cpu_count() or 1))
