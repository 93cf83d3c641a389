"""The landing sensor: a month whose landing folder changed runs again."""

import json

import dagster as dg

from devzone import landing, settings
from orchestration.jobs import monthly_pipeline


@dg.sensor(job=monthly_pipeline, minimum_interval_seconds=60, description="Runs a month whose landing folder changed.")
def landing_sensor(context: dg.SensorEvaluationContext):
    seen = json.loads(context.cursor) if context.cursor else {}
    months, skipped = landing.landed_months()
    for name, reason in skipped:
        context.log.warning(f"landing/{name} is not run: {reason}")
    for month in months:
        fingerprint = landing.fingerprint(settings.landing_dir() / month)
        if seen.get(month) != fingerprint:
            seen[month] = fingerprint
            yield dg.RunRequest(partition_key=month, run_key=f"{month}:{fingerprint[:16]}")
    context.update_cursor(json.dumps(seen, sort_keys=True))
