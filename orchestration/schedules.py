"""The monthly schedule: early each month, for the month just ended."""

import dagster as dg

from orchestration.jobs import monthly_pipeline

monthly_schedule = dg.build_schedule_from_partitioned_job(
    monthly_pipeline,
    name="monthly_pipeline_schedule",
    day_of_month=3,
    hour_of_day=6,
    description="Early each month (the 3rd, 06:00 Beijing time), for the month just ended.",
)
