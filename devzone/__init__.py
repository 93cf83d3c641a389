"""devzone's domain core: reading the cities' reports, extracting facts, the warehouse's raw
tables, the quality gate and publishing. Nothing here imports Dagster; `orchestration/` wires
these into a Dagster code location."""
