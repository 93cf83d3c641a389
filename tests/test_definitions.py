"""The Dagster code location loads, and its lineage is one chain from landing files to the app."""

import functools
import os
from collections import defaultdict

import dagster as dg


def asset_graph():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    children = defaultdict(set)
    for key in graph.get_all_asset_keys():
        for parent in graph.get(key).parent_keys:
            children[parent].add(key)
    return defs, graph, children


def reachable(children, start):
    seen, todo = set(), [start]
    while todo:
        key = todo.pop()
        for child in children[key]:
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def test_definitions_load_with_job_schedule_and_sensor():
    from orchestration.definitions import defs

    assert defs.resolve_job_def("monthly_pipeline")
    schedule = defs.resolve_schedule_def("monthly_pipeline_schedule")
    assert schedule.cron_schedule.startswith("0 6 3 ")
    assert defs.resolve_sensor_def("landing_sensor")
    assert defs.resolve_sensor_def("corrections_sensor")


def test_lineage_from_landing_files_through_raw_reports_to_every_mart_and_the_app():
    _, graph, children = asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    marts = {k for k in keys if k.split("/")[-1].startswith(("fct_", "dim_", "rpt_"))}
    assert {"fct_indicator", "fct_project_pipeline", "dim_city", "dim_zone", "dim_indicator", "dim_period"} <= marts
    downstream = {k.to_user_string() for k in reachable(children, dg.AssetKey(["raw_reports", "documents"]))}
    assert marts <= downstream, marts - downstream
    assert {
        "extracted_facts/indicator_facts",
        "extracted_facts/pipeline_facts",
        "serving_snapshot",
        "managers_app",
    } <= downstream
    from_landing = reachable(children, dg.AssetKey("landing_reports"))
    assert {dg.AssetKey(["raw_reports", t]) for t in ("documents", "document_history", "quarantine")} <= from_landing


def test_dbt_sources_are_the_python_assets():
    _, graph, _ = asset_graph()
    for model, source in [
        ("stg_indicator_facts", "extracted_facts/indicator_facts"),
        ("stg_pipeline_facts", "extracted_facts/pipeline_facts"),
        ("stg_documents", "raw_reports/documents"),
        ("stg_document_history", "raw_reports/document_history"),
        ("stg_quarantine", "raw_reports/quarantine"),
    ]:
        assert {p.to_user_string() for p in graph.get(dg.AssetKey(model)).parent_keys} == {source}


def test_only_the_assets_that_read_a_month_are_partitioned_and_they_backfill_in_one_run():
    """raw_reports and extracted_facts read a month's reports: partitioned by month, a range in one
    run. The marts, the gate and the serving file are tables of every month (they cover the run's
    months from raw.run_window). The job holds both kinds, and the runner's two lists hold all of it."""
    from orchestration.definitions import defs
    from orchestration.jobs import MONTHLY_ASSETS, WAREHOUSE_ASSETS
    from orchestration.partitions import monthly

    executable = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition) and a.is_executable]
    for assets_def in executable:
        if assets_def in MONTHLY_ASSETS:
            assert assets_def.partitions_def == monthly, assets_def.keys
            assert assets_def.backfill_policy == dg.BackfillPolicy.single_run(), assets_def.keys
        else:
            assert assets_def.partitions_def is None, assets_def.keys
    job_keys = set(defs.resolve_job_def("monthly_pipeline").asset_layer.executable_asset_keys)
    assert job_keys == {k for a in (*MONTHLY_ASSETS, *WAREHOUSE_ASSETS) for k in a.keys}
    assert monthly.get_first_partition_key() == "2021-01"


def test_a_range_is_two_runs_one_month_is_one():
    """A range: the monthly assets over the range (tagged as Dagster's backfills tag it), then the
    tables of every month once, so Dagster plans each of them once, not once a month."""
    from orchestration import runner
    from orchestration.jobs import MONTHLY_ASSETS, OCR_ASSETS, WAREHOUSE_ASSETS

    reading = {k for a in MONTHLY_ASSETS if a not in OCR_ASSETS for k in a.keys}  # OCR: its own job first
    [whole] = runner.run_plan(["2023-06"])
    assert set(whole.assets) == reading | {k for a in WAREHOUSE_ASSETS for k in a.keys}
    assert whole.partition_key == "2023-06" and whole.tags == {}
    monthly, tables = runner.run_plan(["2023-01", "2023-02", "2023-03"])
    assert set(monthly.assets) == reading and monthly.partition_key is None
    assert monthly.tags == {runner.PARTITION_RANGE_START_TAG: "2023-01", runner.PARTITION_RANGE_END_TAG: "2023-03"}
    assert set(tables.assets) == {k for a in WAREHOUSE_ASSETS for k in a.keys}
    assert tables.partition_key is None and tables.tags == {}


def test_sensor_requests_a_run_for_a_month_whose_landing_folder_changed(tmp_path, monkeypatch):
    from orchestration.sensors import landing_sensor

    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))
    for month in ("2023-06", "2023-09"):
        (tmp_path / "landing" / month).mkdir(parents=True)
        (tmp_path / "landing" / month / "a.txt").write_text("晋中市开发区", encoding="utf-8")
    (tmp_path / "landing" / "notes").mkdir()

    context = dg.build_sensor_context()
    first = list(landing_sensor(context))
    assert sorted(r.partition_key for r in first) == ["2023-06", "2023-09"]
    cursor = context.cursor

    context = dg.build_sensor_context(cursor=cursor)
    assert list(landing_sensor(context)) == []

    (tmp_path / "landing" / "2023-09" / "b.txt").write_text("吕梁市开发区", encoding="utf-8")
    context = dg.build_sensor_context(cursor=cursor)
    again = list(landing_sensor(context))
    assert [r.partition_key for r in again] == ["2023-09"]
    assert again[0].run_key != next(r.run_key for r in first if r.partition_key == "2023-09")


def test_sensor_runs_the_months_that_new_corrections_name(tmp_path, monkeypatch):
    from devzone import corrections
    from orchestration.sensors import corrections_sensor

    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))
    for month in ("2023-06", "2023-09"):
        (tmp_path / "landing" / month).mkdir(parents=True)
        (tmp_path / "landing" / month / "a.txt").write_text("晋中市开发区", encoding="utf-8")

    def correct(period: str, key: str = "0123456789abcdef") -> None:
        target = {"period": period, "fact_type": "indicator"}
        corrections.append(corrections.make(key, "reject", "不是事实", "张工", target=target))

    context = dg.build_sensor_context()
    assert list(corrections_sensor(context)) == []  # no journal yet
    correct("2023-06")
    correct("2023-09")
    correct("2023-06", key="fedcba9876543210")
    context = dg.build_sensor_context(cursor=context.cursor)
    first = list(corrections_sensor(context))
    assert [r.partition_key for r in first] == ["2023-06", "2023-09"]
    cursor = context.cursor
    assert list(corrections_sensor(dg.build_sensor_context(cursor=cursor))) == []
    correct("2023-09", key="fedcba9876543210")
    correct("2021-01")  # no landing folder: nothing to run
    again = list(corrections_sensor(dg.build_sensor_context(cursor=cursor)))
    assert [r.partition_key for r in again] == ["2023-09"]
    assert again[0].run_key != next(r.run_key for r in first if r.partition_key == "2023-09")


def test_the_months_a_run_can_take_are_the_partitions():
    """The command line decides what it can run without loading Dagster; both must agree."""
    from devzone import landing
    from orchestration.partitions import monthly

    assert landing.runnable_months(landing.beijing_now()) == monthly.get_partition_keys()


def test_a_symlink_added_to_a_landed_month_triggers_a_run_that_quarantines_it(tmp_path, monkeypatch):
    from orchestration.sensors import landing_sensor

    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))
    month = tmp_path / "landing" / "2023-06"
    month.mkdir(parents=True)
    (month / "a.txt").write_text("晋中市开发区", encoding="utf-8")
    context = dg.build_sensor_context()
    assert len(list(landing_sensor(context))) == 1
    (month / "b.txt").symlink_to("/etc/hostname")
    again = list(landing_sensor(dg.build_sensor_context(cursor=context.cursor)))
    assert [r.partition_key for r in again] == ["2023-06"]


def test_a_run_over_several_months_is_tagged_with_the_partition_range_dagster_reads():
    """`execute_in_process` takes one partition key; a range is given by the tags Dagster's own
    backfills write. The runner spells them out instead of importing Dagster's private module:
    this test pins them to Dagster's constants, so an upgrade that renames them fails here."""
    from dagster._core.storage import tags

    from orchestration import runner

    assert runner.PARTITION_RANGE_START_TAG == tags.ASSET_PARTITION_RANGE_START_TAG
    assert runner.PARTITION_RANGE_END_TAG == tags.ASSET_PARTITION_RANGE_END_TAG


def test_importing_the_code_location_runs_no_dbt_and_writes_no_environment():
    """The definitions load from the prepared manifest: no `dbt parse` at import, and no setting
    written into the environment (dbt and Dagster read the home from what the user set)."""
    import subprocess
    import sys

    probe = (
        "import os, subprocess\n"
        "calls = []\n"
        "real = subprocess.Popen.__init__\n"
        "def spy(self, *a, **k):\n"
        "    calls.append(a[0] if a else k.get('args'))\n"
        "    return real(self, *a, **k)\n"
        "subprocess.Popen.__init__ = spy\n"
        "before = dict(os.environ)\n"
        "import orchestration.definitions\n"
        "changed = sorted(k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k))\n"
        "print(repr((calls, changed)))\n"
    )
    # No DEVZONE_HOME: the code that used to export its default (for dbt) would show up here.
    env = {k: v for k, v in os.environ.items() if k not in ("DEVZONE_HOME", "DAGSTER_HOME")}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    calls, changed = eval(out.stdout.strip().splitlines()[-1])
    assert [c for c in calls if "dbt" in str(c)] == []  # (a library asks `file` about the interpreter)
    assert changed == [], changed


def test_the_dbt_resource_skips_only_what_devzone_does_not_use():
    """orchestration/resources.py's DbtCli overrides two private methods of dagster-dbt (the dbt
    version asked of a second dbt process, an in-process adapter for metadata devzone does not
    fetch): they must still exist upstream, and the version must be the executable's own."""
    import re
    import subprocess

    from dagster_dbt import DbtCliResource

    from orchestration.project import DBT_EXECUTABLE
    from orchestration.resources import DbtCli, dbt_resource

    assert isinstance(DbtCliResource.__dict__["_cli_version"], functools.cached_property)
    assert callable(DbtCliResource.__dict__["_initialize_dbt_core_adapter"])
    resource = dbt_resource()
    assert isinstance(resource, DbtCli)
    stated = subprocess.run([DBT_EXECUTABLE, "--version"], capture_output=True, text=True, check=True).stdout
    assert str(resource._cli_version) == re.search(r"(\d+\.\d+\.\d+)", stated).group(1)
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_the_gate_and_its_checks_report_each_month_on_its_own():
    """The gate covers a run's months in one step: its materialization and each suite's check
    carry one entry per month with that month's own counts, and no run-wide total of results."""
    from devzone.quality.results import CheckResult, MonthValidation
    from orchestration.assets.quality import per_month_metadata

    def check(suite: str, success: bool, severity: str = "WARN") -> CheckResult:
        return CheckResult(suite, "expect_x(y)", "rule", severity, success, "", 0 if success else 1)

    months = [
        MonthValidation("2023-06", [check("cross_checks", False), check("cross_checks", True), check("fct_indicator", True)], {}, 0.1),
        MonthValidation("2023-07", [check("cross_checks", True), check("cross_checks", True), check("fct_indicator", False, "ERROR")], {}, 0.1),
    ]  # fmt: skip
    gate = per_month_metadata(months)
    assert gate["month 2023-06"] == "3 expectations, 2 passed, 0 errors, 1 warnings"
    assert gate["month 2023-07"] == "3 expectations, 2 passed, 1 errors, 0 warnings"
    assert (gate["months with errors"], gate["months with warnings"]) == (1, 1)
    assert "| 2023-06 | 3 | 2 | 0 | 1 |" in gate["months"].value
    assert not {"expectations", "errors", "warnings"} & set(gate)  # no run-wide totals
    suite = per_month_metadata(months, "cross_checks")
    assert suite["month 2023-06"] == "2 expectations, 1 passed, 0 errors, 1 warnings"
    assert suite["month 2023-07"] == "2 expectations, 2 passed, 0 errors, 0 warnings"
    assert [k for k in suite if k.startswith("month ")] == ["month 2023-06", "month 2023-07"]


def test_the_sessions_run_records_each_months_quality_on_the_checks_and_the_quality_mart(built_home):
    """In the session's run (a backfill over the sample months): each of the gate's checks and
    fct_quality_result's materialization carry every month of the run with that month's own
    results, as the warehouse counts them."""
    import duckdb
    from conftest import SAMPLE_MONTHS

    from devzone.quality import SUITE_NAMES
    from orchestration.assets.quality import CHECK_RESULTS
    from orchestration.runner import instance

    home, _ = built_home
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        window = con.execute("select period_start, period_end from raw.run_window").fetchone()
        counted = dict(
            con.execute(
                "select period, count(*) filter (suite_name = 'cross_checks') from main.fct_quality_result "
                "where period between ? and ? group by period",
                list(window),
            ).fetchall()
        )
        per_status = dict(
            con.execute(
                "select period, count(*) filter (status = 'warning') from main.fct_quality_result "
                "where period between ? and ? group by period",
                list(window),
            ).fetchall()
        )
    finally:
        con.close()
    assert set(SAMPLE_MONTHS) <= set(counted)
    events = instance()
    keys = [dg.AssetCheckKey(CHECK_RESULTS, suite) for suite in SUITE_NAMES]
    latest = events.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    for key in keys:
        metadata = latest[key].event.dagster_event.event_specific_data.metadata
        assert [k for k in metadata if k.startswith("month ")] == [f"month {m}" for m in sorted(counted)], key
        if key.name == "cross_checks":
            for month, n in counted.items():
                assert metadata[f"month {month}"].value.startswith(f"{n} expectations, "), (month, metadata)
        assert "expectations" not in metadata and "failed_errors" not in metadata
    mart = events.get_latest_materialization_event(dg.AssetKey("fct_quality_result")).asset_materialization.metadata
    for month, warnings in per_status.items():
        assert f", {warnings} warnings, " in mart[f"month {month}"].value, (month, mart[f"month {month}"])
    assert f"| {SAMPLE_MONTHS[0]} |" in mart["months"].value
