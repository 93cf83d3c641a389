"""The warehouse end to end: sample months through Dagster, dbt and publishing, in a temporary home.

One warehouse is built per session (three sample months, one run each, materialised with
`partition_key=...`); the tests that change inputs work on copies of that home. Re-running a month is checked after a
killed run; duplicates, corrected reports, unreadable files and the other entries of the landing
contract run through the pipeline in tests/test_landing.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SAMPLE_MONTHS, SAMPLES, load_jsonl, use_home

MONTHS = ["2023-06", "2023-09", "2024-03"]  # re-run one by one (partition_key) by the tests below


def assert_same_marts(after: dict, before: dict) -> None:
    """Equal served tables; on a difference, name the table and show the rows that differ."""
    for table in sorted(set(after) | set(before)):
        gone = set(before.get(table, [])) - set(after.get(table, []))
        new = set(after.get(table, [])) - set(before.get(table, []))
        assert not gone and not new, (
            f"{table}: rows gone {sorted(gone, key=repr)[:3]}; rows new {sorted(new, key=repr)[:3]}"
        )
    assert after == before


def run_month(month: str):
    from orchestration import runner

    return runner.run_months([month])


def snapshot(serving: Path) -> dict[str, list[tuple]]:
    """Every served table's rows, sorted, without the publication metadata (and without the id of
    the run that validated a month, which differs from run to run by design)."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        ]
        out = {}
        for t in sorted(tables):
            if t == "serving_meta":
                continue
            columns = [
                c
                for (c,) in con.execute(
                    f"select column_name from information_schema.columns where table_name = '{t}'"
                ).fetchall()
            ]
            select = "select * exclude (run_id)" if "run_id" in columns else "select *"
            out[t] = sorted(con.execute(f'{select} from "{t}"').fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_every_sample_month_runs_passes_its_checks_with_no_error_and_publishes(built_home):
    home, summaries = built_home
    for month, summary in summaries.items():
        assert summary.success, (month, summary.failed_steps)
        assert summary.published
        assert summary.checks_passed > 0 and not summary.checks_failed, summary.checks_failed
    con = duckdb.connect(str(home / "serving.duckdb"), read_only=True)
    try:
        served = {p for (p,) in con.execute("select distinct period from fct_indicator").fetchall()}
        errors = con.execute("select count(*) from fct_quality_result where status = 'failed'").fetchone()[0]
    finally:
        con.close()
    assert served == set(SAMPLE_MONTHS)
    assert errors == 0
    assert (home / "serving.duckdb").exists()
    assert not list(home.glob(".serving*building*"))


def test_a_backfill_is_two_dagster_runs_whose_dbt_commands_use_the_manifest_parsed_as_the_run_began(built_home):
    """The session's home was built by one `run_months` over the sample months: the monthly assets
    over the range, then the tables of every month (orchestration/runner.py run_plan); the warm
    dbt server parsed the project once and both dbt commands ran with that manifest."""
    home, summaries = built_home
    [backfill] = summaries.values()
    # (before them, the OCR job's run when the suite's OCR cache did not hold the samples' scans yet)
    from orchestration.runner import instance

    use_home(home)
    jobs = [instance().get_run_by_id(run_id).job_name for run_id in backfill.run_ids]
    assert jobs in (["monthly_pipeline"] * 2, ["read_scans", "monthly_pipeline", "monthly_pipeline"])
    assert len(set(backfill.run_ids)) == len(jobs)
    said = [
        line
        for line in (home / "logs" / "devzone-run.log").read_text(encoding="utf-8").splitlines()
        if line.startswith("devzone-dbt (warm)")
    ]
    assert said == ["devzone-dbt (warm): dbt build, with the manifest parsed at start"] * 2


def core_zone(zone: str | None) -> str | None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("score", ROOT.parent / "shared" / "acceptance" / "score.py")
    if spec is None:
        pytest.skip("../shared/acceptance is not beside the project")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.zone(zone)


def expected_facts(month: str) -> list[dict]:
    return [f for path in sorted((SAMPLES / "expected" / month).glob("*.jsonl")) for f in load_jsonl(path)]


@pytest.mark.parametrize("month", SAMPLE_MONTHS)
def test_marts_hold_the_samples_expected_facts(built_home, month):
    home, _ = built_home
    con = duckdb.connect(str(home / "serving.duckdb"), read_only=True)
    try:
        indicators = {
            (city, core_zone(zone), code, basis): (value, yoy)
            for city, zone, code, basis, value, yoy in con.execute(
                "select city_name, zone_name, indicator_code, basis, value, yoy_pct from fct_indicator where period = ?",
                [month],
            ).fetchall()
        }
        pipeline = {}
        measures = [
            "projects",
            "investment",
            "advanced_projects",
            "advanced_investment",
            "completed_investment",
            "industrial_projects",
            "industrial_investment",
            "expected_annual_output",
        ]
        for row in con.execute(
            f"select city_name, zone_name, scope, stage, {', '.join(measures)}, reported_rate_pct "
            "from fct_project_pipeline where period = ?",
            [month],
        ).fetchall():
            for measure, value in zip(measures + ["rate_pct"], row[4:], strict=True):
                if value is not None:
                    pipeline[(row[0], core_zone(row[1]), row[2], row[3], measure)] = value
    finally:
        con.close()
    expected = expected_facts(month)
    assert expected
    for f in expected:
        if f["type"] == "indicator":
            got = indicators.get((f["city"], core_zone(f["zone"]), f["metric"], f["basis"]))
            assert got is not None, f
            assert got[0] == pytest.approx(f["value"]) if f["value"] is not None else got[0] is None, f
            assert got[1] == pytest.approx(f["yoy_pct"]) if f["yoy_pct"] is not None else got[1] is None, f
        else:
            got = pipeline.get((f["city"], core_zone(f["zone"]), f["scope"], f["stage"], f["measure"]))
            assert got == pytest.approx(f["value"]), f


def test_a_run_killed_mid_way_leaves_the_previous_serving_file_and_a_rerun_is_clean(built_home, copy_built_home):
    """SIGKILL to the run alone during the dbt step (as the OOM killer sends it): its dbt processes
    (the client, the warm dbt server and its fork running dbt) die with it; the serving file must open and hold the last good state throughout; a re-run then gives
    the same marts as an undisturbed run."""
    home = copy_built_home()
    serving = home / "serving.duckdb"
    good = snapshot(serving)
    env = {**os.environ, "DEVZONE_HOME": str(home)}
    month = MONTHS[1]

    observed: list[str] = []
    stop = threading.Event()
    unchanged = file_state(serving)

    def watch():
        compared = 0.0
        while not stop.is_set():
            try:
                # A file that still is the good one, byte for byte (same inode, size and mtime, no
                # WAL beside it), opens and holds the good state. Any other file, and the file once
                # a second in any case, is opened, read in full and compared.
                if file_state(serving) == unchanged and time.monotonic() - compared < 1.0:
                    observed.append("good")
                else:
                    compared = time.monotonic()
                    observed.append("good" if snapshot(serving) == good else "other")
            except Exception as exc:  # the file must always open
                observed.append(f"error: {exc}")
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    log = home / "killed_run.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", "run", "--month", month],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.time() + 120
        dbt = None
        while time.time() < deadline and proc.poll() is None and dbt is None:
            dbt = _dbt_child(proc.pid)
            time.sleep(0.1)
        time.sleep(1.0)  # kill once dbt is building
        assert dbt and proc.poll() is None, (
            f"the run ended (exit {proc.poll()}) before its dbt step could be killed:\n"
            + log.read_text(errors="replace")[-3000:]
        )
        # the run's processes: dbt's client, the warm dbt server and its fork that runs dbt
        run_processes = _session_processes(proc.pid) - {proc.pid}
        assert dbt in run_processes and len(run_processes) >= 3, run_processes
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.time() + 3
        while time.time() < deadline and not all(_ended(p) for p in run_processes):
            time.sleep(0.05)
        assert all(_ended(p) for p in run_processes), "a dbt process outlived the run that started it"
        time.sleep(0.3)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever else of the run is left
        except ProcessLookupError:
            pass
        proc.wait()
        stop.set()
        watcher.join()
    assert observed and set(observed) == {"good"}, set(observed)

    use_home(home)
    try:
        assert run_month(month).success
    finally:
        use_home(built_home[0])
    assert_same_marts(snapshot(serving), good)


def file_state(path: Path) -> tuple:
    """What changes when a file is written or replaced: its inode, size and mtime, and its WAL."""
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, path.with_name(path.name + ".wal").exists()


def _processes() -> dict[int, tuple[int, int, list[str]]]:
    """Every process as {pid: (parent pid, session id, argv)}, read from /proc: `ps` cuts its
    argument column to $COLUMNS when that is set, as it may be under CI."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended while listed
        table[int(entry.name)] = (int(fields[1]), int(fields[3]), [a for a in argv if a])
    return table


def _dbt_child(pid: int) -> int | None:
    """The process id of the run's `dbt build` (started as devzone-dbt, which becomes dbt), once it runs."""
    for child, (parent, _, argv) in _processes().items():
        if parent == pid and "build" in argv and any(Path(a).name in {"dbt", "devzone-dbt"} for a in argv):
            return child
    return None


def _session_processes(session: int) -> set[int]:
    """Every process of the session `session` (the run was started in a session of its own)."""
    return {pid for pid, (_, sid, _) in _processes().items() if sid == session}


def _ended(pid: int) -> bool:
    """True once `pid` has exited: gone, or a zombie that nobody reaps since its parent was killed."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


def test_a_failing_dbt_test_blocks_publishing_and_keeps_the_served_file(home_copy):
    """A fact whose indicator is not in the reference fails a relationships test (severity error):
    the run fails before publishing and the serving file is the one published before."""
    from dagster import AssetKey

    from orchestration.assets.dbt import devzone_dbt_models
    from orchestration.definitions import defs
    from orchestration.runner import instance

    month = MONTHS[2]
    serving = home_copy / "serving.duckdb"
    before = snapshot(serving)
    con = duckdb.connect(str(home_copy / "warehouse.duckdb"))
    try:
        con.execute(
            "insert into raw.indicator_facts by name select * replace (9999 as fact_seq, 'bogus_indicator' as metric)"
            " from raw.indicator_facts where period = ? limit 1",
            [month],
        )
    finally:
        con.close()
    job = defs.resolve_job_def("monthly_pipeline")
    selection = [*devzone_dbt_models.keys, AssetKey("serving_snapshot")]
    result = job.execute_in_process(
        partition_key=month, instance=instance(), asset_selection=selection, raise_on_error=False
    )
    assert not result.success
    assert not any(e.asset_key == AssetKey("serving_snapshot") for e in result.get_asset_materialization_events())
    assert snapshot(serving) == before


def run_gate(month: str):
    """Run the quality gate on the marts as they are in the warehouse, then publish."""
    from dagster import AssetKey

    from orchestration.assets.dbt import devzone_dbt_quality_models
    from orchestration.assets.quality import CHECK_RESULTS
    from orchestration.definitions import defs
    from orchestration.runner import instance

    selection = [CHECK_RESULTS, *devzone_dbt_quality_models.keys, AssetKey("serving_snapshot")]
    return defs.resolve_job_def("monthly_pipeline").execute_in_process(
        partition_key=month, instance=instance(), asset_selection=selection, raise_on_error=False
    )


def check_evaluations(result) -> dict[str, tuple[bool, str, str]]:
    return {
        e.check_name: (e.passed, e.severity.value, e.description or "")
        for e in result.get_asset_check_evaluations()
        if e.asset_key.path == ["quality_gate", "check_results"]
    }


def alter_warehouse(home: Path, sql: str, params: list) -> None:
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        con.execute(sql, params)
    finally:
        con.close()


def test_an_error_in_the_quality_gate_blocks_publishing(home_copy):
    """A negative investment (a lost sign) fails an ERROR expectation: the run fails, naming it,
    and the previous serving file stays as it was."""
    month = MONTHS[0]
    serving = home_copy / "serving.duckdb"
    before = snapshot(serving)
    alter_warehouse(
        home_copy, "update main.fct_project_pipeline set investment = -investment where period = ?", [month]
    )
    result = run_gate(month)
    assert not result.success
    passed, severity, description = check_evaluations(result)["fct_project_pipeline"]
    assert not passed and severity == "ERROR"
    assert "(investment)" in description
    assert snapshot(serving) == before


def test_a_warning_is_recorded_and_shown_but_does_not_block(home_copy):
    """A reported rate 2 points off its own numbers is a warning: the month is published, and
    fct_quality_result lists it with both numbers."""
    month = MONTHS[0]
    alter_warehouse(
        home_copy,
        "update main.fct_project_pipeline set reported_rate_pct = reported_rate_pct + 2 "
        "where period = ? and stage = 'signed' and reported_rate_pct is not null",
        [month],
    )
    result = run_gate(month)
    assert result.success
    passed, severity, _ = check_evaluations(result)["fct_project_pipeline"]
    assert not passed and severity == "WARN"
    con = duckdb.connect(str(home_copy / "serving.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select severity, status, failing_sample from fct_quality_result where period = ? and status <> 'passed'"
            " and suite_name = 'fct_project_pipeline'",
            [month],
        ).fetchall()
    finally:
        con.close()
    assert rows and all(r[:2] == ("WARN", "warning") for r in rows)
    assert any("reported_rate_pct" in r[2] and "computed_rate_pct" in r[2] for r in rows)


def test_engineers_find_row_counts_column_types_and_each_months_quality_in_dagster(built_home):
    """Dagster's pages of the session's run: the dbt tables with their row counts and the
    warehouse's column types (views with their columns, not counted), the raw tables with their
    columns, and the gate with each month's own counts."""
    from dagster import AssetKey

    from orchestration.definitions import defs
    from orchestration.runner import instance

    home, _ = built_home
    events = instance()

    def latest(*path: str) -> dict:
        event = events.get_latest_materialization_event(AssetKey(list(path)))
        assert event is not None and event.asset_materialization is not None, path
        return dict(event.asset_materialization.metadata)

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute("select count(*) from main.fct_indicator").fetchone()[0]
    finally:
        con.close()
    fct = latest("fct_indicator")
    assert fct["dagster/row_count"].value == rows > 0
    columns = {c.name: c for c in fct["dagster/column_schema"].value.columns}
    assert (columns["value"].type, columns["period"].type, columns["is_corrected"].type) == (
        "DOUBLE",
        "VARCHAR",
        "BOOLEAN",
    )
    assert columns["period"].description  # dbt's description kept beside the type
    view = latest("stg_indicator_facts")
    assert "dagster/row_count" not in view and "correction_key" in {
        c.name for c in view["dagster/column_schema"].value.columns
    }

    spec = defs.resolve_assets_def(AssetKey(["raw_reports", "documents"])).specs_by_key[
        AssetKey(["raw_reports", "documents"])
    ]
    raw = {c.name: c for c in spec.metadata["dagster/column_schema"].columns}
    assert raw["doc_id"].type == "varchar" and not raw["doc_id"].constraints.nullable

    months = latest("quality_gate", "check_results")["months"].value
    for month in SAMPLE_MONTHS:
        assert f"| {month} |" in months
