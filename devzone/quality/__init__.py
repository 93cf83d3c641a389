"""The monthly quality gate: Great Expectations 1.x suites (expectations/) over one month's frames.

| module | its one job |
|---|---|
| `suites` | read and check expectations/<suite>.json, build GX suites, the month's suite parameters, the README's rules tables |
| `engine` | GX validation of pandas frames (one ephemeral context and the suites per process, two passes) |
| `frames` | read each suite's frame of a month from the working warehouse (one query each) |
| `results` | `CheckResult` from GX's results (observed value, failing rows), `MonthValidation` |
| `gate` | validate a month and decide: no ERROR failure, publish |
| `data_docs` | GX's static Data Docs site of the validations, and devzone's offline index |
| `offline_site` | make the Data Docs pages open offline: GX's CDN files served from the site (vendored by `make`), Home pointed at devzone's index |

The cross-checks' inputs are dbt models (dbt_project/models/intermediate/quality/); the gate's
results go to raw.check_results (devzone/warehouse.py: store_check_results), from which dbt builds
fct_quality_result and rpt_quality_month. Dagster's asset `quality_gate/check_results`
(orchestration/assets/quality.py) runs the gate. Nothing here imports Great Expectations until a
suite is built or a month validated.

    python -m devzone.quality WAREHOUSE.duckdb 2023-06 [--docs FOLDER] [--all]
    python -m devzone.quality rules [--readme README.md]
"""

from devzone.quality.suites import SUITE_NAMES, readable_ids

__all__ = ["SUITE_NAMES", "readable_ids"]
