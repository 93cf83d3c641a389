"""The sensors: a month whose landing folder changed runs again (landing_sensor), and so does a
month a new correction names (corrections_sensor)."""

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


@dg.sensor(
    job=monthly_pipeline,
    minimum_interval_seconds=60,
    description="Runs the months whose statements a new line of the corrections journal corrects.",
)
def corrections_sensor(context: dg.SensorEvaluationContext):
    """The journal is append-only: the cursor is the number of lines already seen. A journal with
    fewer lines than that was replaced by hand; then every month it names runs again."""
    from devzone import corrections

    try:
        journal = corrections.read()
    except corrections.JournalError as exc:
        context.log.error(str(exc))
        return
    seen = int(context.cursor or 0)
    new = journal[seen:] if len(journal) >= seen else journal
    runnable = set(landing.landed_months()[0])
    for month in sorted({c.target.get("period") for c in new} - {None}):
        if month in runnable:
            yield dg.RunRequest(partition_key=month, run_key=f"corrections:{month}:{len(journal)}")
        else:
            context.log.warning(f"a correction names {month}, which has no landing folder to run")
    context.update_cursor(str(len(journal)))
