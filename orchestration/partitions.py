"""The monthly partitions of the assets that read a month's reports, and the pool of the assets
that write DuckDB."""

import dagster as dg

from devzone import settings

# DuckDB allows one writer: every asset that writes the warehouse takes a slot of this pool
# (limit 1 in the instance's dagster.yaml).
WRITER_POOL = "duckdb_writer"

monthly = dg.MonthlyPartitionsDefinition(
    start_date=settings.FIRST_MONTH, fmt="%Y-%m", timezone=settings.TIMEZONE, end_offset=settings.months_ahead()
)


def months_label(months: list[str]) -> str:
    """The months of a run as its assets' metadata shows them: listed up to a year, else the span."""
    return ", ".join(months) if len(months) <= 12 else f"{months[0]} … {months[-1]} ({len(months)})"
