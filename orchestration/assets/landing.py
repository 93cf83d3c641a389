"""The landing folders: files as the cities filed them. Dagster does not write them."""

import dagster as dg

from orchestration.partitions import monthly

landing_reports = dg.AssetSpec(
    "landing_reports",
    description="Report files as the cities filed them, under <home>/landing/YYYY-MM/.",
    partitions_def=monthly,
    group_name="landing",
    kinds={"file"},
)
