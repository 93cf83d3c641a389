"""`devzone run`: the monthly pipeline, in process, against the persistent Dagster instance.

Runs show up in `dagster dev` afterwards because both use the instance under <home>/dagster.
Several months run as one run (a single-run backfill over the month range).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from devzone import settings
from orchestration.dbt_warm import parse_environment, warm_dbt

INSTANCE_YAML = """\
# devzone's Dagster instance. DuckDB allows one writer: assets that write it share one pool.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def instance():
    """The persistent instance of the home (<home>/dagster), the one `make ui` shows."""
    from dagster import DagsterInstance

    home = settings.dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_YAML, encoding="utf-8")
    return DagsterInstance.from_config(str(home))


LAUNCHER_TAG = "devzone/launcher"
# A run over a range of partitions is a run tagged with the range: `execute_in_process` takes one
# partition key only. These are the tags Dagster's own backfills write (pinned by
# tests/test_definitions.py against Dagster's constants).
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"
MONTHS_TAG = "devzone/months"  # the months of a `devzone run`, on each of its Dagster runs


@contextlib.contextmanager
def pipeline_lock():
    """One `devzone run` at a time per home (DuckDB has one writer anyway). The holder writes its
    pid into the lock file, so that a second run can say whom it waits for."""
    path = settings.home() / "pipeline.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            print(f"waiting for another run on this home (pid {holder})", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def reap_orphaned_runs(dagster_instance) -> list[str]:
    """Runs of `devzone run` still marked in progress while we hold the lock were killed (their
    process is gone): mark them failed and give back their DuckDB writer slot, which would
    otherwise block every later run."""
    from dagster import DagsterRunStatus, RunsFilter

    in_progress = [DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED]
    reaped = []
    for run in dagster_instance.get_runs(RunsFilter(statuses=in_progress, tags={LAUNCHER_TAG: "cli"})):
        dagster_instance.report_run_failed(run)
        dagster_instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        reaped.append(run.run_id)
    return reaped


@dataclass
class RunSummary:
    success: bool
    run_ids: list[str]  # one Dagster run for one month; two for a range (see run_plan)
    months: list[str]
    documents: dict[str, int] = field(default_factory=dict)
    superseded: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    facts_per_city: dict[str, int] = field(default_factory=dict)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)  # ERROR severity: blocks publishing
    checks_warned: list[str] = field(default_factory=list)  # WARN severity: recorded and shown
    published: bool = False
    failed_steps: list[tuple[str, str]] = field(default_factory=list)  # (step, what it said)
    # Where the wall time went, in seconds: loading the definitions, each step, what is left.
    profile: dict[str, float] = field(default_factory=dict)


def run_months(months: list[str]) -> RunSummary:
    started = time.perf_counter()
    log = settings.home() / "logs" / "devzone-run.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")  # then appended to, by the run and its warm dbt server alike
    # dbt's progress lines go to the log file (and to the run's logs in the Dagster UI), not the
    # terminal. The warm dbt server imports dbt while the definitions load (orchestration/dbt_warm.py).
    with (
        pipeline_lock(),
        open(log, "a", encoding="utf-8") as log_file,
        contextlib.redirect_stdout(log_file),
        warm_dbt(log, parse_environment(settings.DBT_PROJECT_DIR, settings.dbt_target_dir())),
    ):
        from dagster import AssetCheckSeverity, DagsterEventType

        from orchestration.definitions import defs
        from orchestration.partitions import months_label

        job = defs.resolve_job_def("monthly_pipeline")
        loaded = time.perf_counter()
        # The terminal shows the summary, which opens with what failed and what to do; the full run
        # log, tracebacks included, is in the Dagster UI.
        quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
        tags = {LAUNCHER_TAG: "cli", MONTHS_TAG: months_label(months)}
        dagster_instance = instance()
        reap_orphaned_runs(dagster_instance)
        results = []
        if scans := read_scans(dagster_instance, months, {**tags, **partition_tags(months)}):
            results.append(scans)
        for planned in run_plan(months) if not results or results[0].success else []:
            result = job.execute_in_process(
                instance=dagster_instance,
                raise_on_error=False,
                run_config=quiet,
                tags={**tags, **planned.tags},
                partition_key=planned.partition_key,
                asset_selection=planned.assets,
            )
            results.append(result)
            if not result.success:
                break
    summary = RunSummary(all(r.success for r in results), [r.run_id for r in results], months)
    summary.profile = run_profile(dagster_instance, summary.run_ids, loaded - started, time.perf_counter() - started)
    with open(log, "a", encoding="utf-8") as log_file:
        log_file.write("\nprofile (seconds of wall time):\n")
        log_file.writelines(f"  {name:<28} {seconds:7.2f}\n" for name, seconds in summary.profile.items())
    for evaluation in (e for r in results for e in r.get_asset_check_evaluations()):
        name = f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}"
        if evaluation.description and not evaluation.passed:
            name += f" — {evaluation.description}"
        if evaluation.passed:
            summary.checks_passed += 1
        elif evaluation.severity == AssetCheckSeverity.ERROR:
            summary.checks_failed.append(name)
        else:
            summary.checks_warned.append(name)
    events = [e for r in results for e in r.all_events]
    summary.published = any(
        e.event_type == DagsterEventType.ASSET_MATERIALIZATION and e.asset_key.path == ["serving_snapshot"]
        for e in events
    )
    summary.failed_steps = [
        (e.step_key or "", failure_message(e)) for e in events if e.event_type == DagsterEventType.STEP_FAILURE
    ]
    fill_from_warehouse(summary)
    return summary


def partition_tags(months: list[str]) -> dict[str, str]:
    """The tags that give a run of `execute_job` its month or range of months."""
    if len(months) == 1:
        return {"dagster/partition": months[0]}
    return {PARTITION_RANGE_START_TAG: months[0], PARTITION_RANGE_END_TAG: months[-1]}


def read_scans(dagster_instance, months: list[str], tags: dict[str, str]):
    """OCR the months' new scans first, a process a file under Dagster's multiprocess executor
    (orchestration/scan_job.py); None when every scan is in the OCR cache (no process is started,
    and the monthly job's own scanned_texts step then has nothing to read)."""
    from dagster import execute_job, reconstructable

    from orchestration.assets.scans import scan_paths
    from orchestration.scan_job import ocr_processes, read_scans_job

    if not scan_paths(months):
        return None
    config = {
        "execution": {"config": {"max_concurrent": ocr_processes()}},
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
    }
    # The executor reports its step processes on stderr: the run's log takes them, as it takes dbt's.
    with contextlib.redirect_stderr(sys.stdout):
        return execute_job(reconstructable(read_scans_job), dagster_instance, run_config=config, tags=tags)


@dataclass
class PlannedRun:
    """One Dagster run of a `devzone run`: which assets (None: the whole job) and which months."""

    assets: list | None
    partition_key: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def run_plan(months: list[str]) -> list[PlannedRun]:
    """One month is one run of the whole job. A range is a run of the monthly assets over the range
    (tagged as Dagster's own backfills tag it), then a run of the tables of every month: in one run
    over a range Dagster plans each unpartitioned asset once a month (46 assets x 120 months = 5,520
    event writes, over half the time of a 120-month backfill); split, it plans them once."""
    from orchestration.jobs import MONTHLY_ASSETS, OCR_ASSETS, WAREHOUSE_ASSETS

    # The OCR of the months' scans ran before, as its own job (read_scans): in process here it would
    # only fan out to nothing, at the cost of its steps' events.
    reading = [key for assets_def in MONTHLY_ASSETS if assets_def not in OCR_ASSETS for key in assets_def.keys]
    tables = [key for assets_def in WAREHOUSE_ASSETS for key in assets_def.keys]
    if len(months) == 1:
        return [PlannedRun(reading + tables, partition_key=months[0])]
    window = {PARTITION_RANGE_START_TAG: months[0], PARTITION_RANGE_END_TAG: months[-1]}
    return [PlannedRun(reading, tags=window), PlannedRun(tables)]


def run_profile(dagster_instance, run_ids: list[str], definitions_s: float, total_s: float) -> dict[str, float]:
    """Seconds spent loading the definitions, in each step (from the runs' step events) and in the
    rest (Dagster's own bookkeeping, the lock, the instance), with the total."""
    from dagster import DagsterEventType

    profile = {"definitions": round(definitions_s, 2)}
    started: dict[str, float] = {}
    ended = (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE)
    for record in (r for run_id in run_ids for r in dagster_instance.all_logs(run_id)):
        event = record.dagster_event
        if event is None or not event.step_key:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            started[event.step_key] = record.timestamp
        elif event.event_type in ended and event.step_key in started:
            profile[event.step_key] = round(record.timestamp - started[event.step_key], 2)
    profile["other"] = round(total_s - sum(profile.values()), 2)
    profile["total"] = round(total_s, 2)
    return profile


def failure_message(event) -> str:
    """What a failed step said: the description of a `dg.Failure` (written for people), else the
    first line of the error."""
    data = event.step_failure_data
    if data.user_failure_data and data.user_failure_data.description:
        return data.user_failure_data.description
    return (data.error.message if data.error else event.message or "").strip().splitlines()[0]


GATE_STEP = "quality_gate"  # the step whose blocking checks stop publishing (orchestration/assets/quality.py)


def failure_sentence(summary: RunSummary) -> str | None:
    """One plain sentence on what failed and what to do; None when the run succeeded."""
    log = settings.home() / "logs" / "devzone-run.log"
    gate_stopped = summary.checks_failed and all(step == GATE_STEP for step, _ in summary.failed_steps)
    if summary.failed_steps and not gate_stopped:
        step, message = summary.failed_steps[0]
        if step == "raw_reports" or "corrupt" in message:
            return message
        if "dbt" in step:
            return (
                f"dbt build failed (a model or one of its tests): see {log}; fix the model or the facts "
                "and run the month again. The serving file is unchanged."
            )
        return f"step {step} failed: {message}. See {log}; the serving file is unchanged."
    if summary.checks_failed:
        return (
            f"the quality gate stopped publishing: {len(summary.checks_failed)} check(s) failed with severity "
            "ERROR (listed below); correct the reports or the facts and run the month again. "
            "The serving file is unchanged."
        )
    if not summary.success:
        return f"the run failed: see {log}. The serving file is unchanged."
    return None


def fill_from_warehouse(summary: RunSummary) -> None:
    import duckdb

    path = settings.warehouse_path()
    if not path.exists():
        return
    lo, hi = summary.months[0], summary.months[-1]
    con = duckdb.connect(str(path), read_only=True)
    try:
        summary.documents = dict(
            con.execute(
                "select period, count(*) from raw.documents where period between ? and ? group by 1 order by 1",
                [lo, hi],
            ).fetchall()
        )
        summary.superseded = [
            f"{p}/{n}"
            for p, n in con.execute(
                "select period, file_name from raw.document_history where status <> 'current' and period between ? and ? order by 1, 2",
                [lo, hi],
            ).fetchall()
        ]
        summary.duplicates = [
            f"{p}/{n}: same bytes as {k}"
            for p, n, k in con.execute(
                "select period, file_name, duplicate_of from raw.duplicate_files where period between ? and ? order by 1, 2",
                [lo, hi],
            ).fetchall()
        ]
        summary.quarantined = [
            f"{p}/{n}: {r}"
            for p, n, r in con.execute(
                "select period, file_name, reason from raw.quarantine where period between ? and ? order by 1, 2",
                [lo, hi],
            ).fetchall()
        ]
        summary.facts_per_city = dict(
            con.execute(
                "select coalesce(city, '全省'), count(*) from ("
                " select city from raw.indicator_facts where period between ? and ?"
                " union all select city from raw.pipeline_facts where period between ? and ?) group by 1 order by 2 desc, 1",
                [lo, hi, lo, hi],
            ).fetchall()
        )
    finally:
        con.close()


def format_summary(summary: RunSummary) -> str:
    sentence = failure_sentence(summary)
    lines = [f"error: {sentence}"] if sentence else []
    lines += [
        f"run {', '.join(summary.run_ids)}: {'succeeded' if summary.success else 'FAILED'}",
        f"months: {summary.months[0]}"
        + (f" … {summary.months[-1]} ({len(summary.months)})" if len(summary.months) > 1 else ""),
        f"documents read: {sum(summary.documents.values())}"
        + (f" ({', '.join(f'{m}: {n}' for m, n in summary.documents.items())})" if summary.documents else ""),
        f"superseded: {len(summary.superseded)}" + "".join(f"\n  {s}" for s in summary.superseded),
        f"duplicates: {len(summary.duplicates)}" + "".join(f"\n  {d}" for d in summary.duplicates),
        f"quarantined: {len(summary.quarantined)}" + "".join(f"\n  {q}" for q in summary.quarantined),
        "facts per city: " + ", ".join(f"{c} {n}" for c, n in summary.facts_per_city.items()),
        f"checks: {summary.checks_passed} passed, {len(summary.checks_failed)} failed (ERROR), "
        f"{len(summary.checks_warned)} with warnings"
        + "".join(f"\n  failed: {c}" for c in summary.checks_failed)
        + "".join(f"\n  warning: {c}" for c in summary.checks_warned),
    ]
    lines += [f"failed step {step}: {message}" for step, message in summary.failed_steps]
    if summary.profile:
        parts = ", ".join(f"{name} {seconds:.1f}" for name, seconds in summary.profile.items() if name != "total")
        lines.append(f"time: {summary.profile['total']:.1f} s ({parts})")
    lines.append(f"log: {settings.home() / 'logs' / 'devzone-run.log'}")
    lines.append(f"quality report (Data Docs): {settings.data_docs_dir() / 'index.html'}")
    if summary.published:
        lines.append(f"published: {settings.serving_path()}")
    else:
        serving = settings.serving_path()
        lines.append(
            f"not published; serving file {'unchanged: ' + str(serving) if serving.exists() else 'not yet built'}"
        )
    return "\n".join(lines)


def copy_samples(samples: Path, landing: Path) -> int:
    """Copy bundled sample reports (samples/reports/YYYY-MM/*) into the landing area."""
    import shutil

    copied = 0
    for report in sorted(samples.glob("*/*")):
        if report.is_file():
            target = landing / report.parent.name / report.name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_bytes() != report.read_bytes():
                shutil.copy2(report, target)
            copied += 1
    return copied
