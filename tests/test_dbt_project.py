"""The dbt project end to end on the bundled samples, in a scratch DEVZONE_HOME.

One session fixture loads the raw tables from samples/reports (plus a synthetic 2023-05 copy of a
2023-06 report, so that 2023-06 has a previous month), then runs `dbt seed` and `dbt build` through
dbt's Python API. The tests then check documentation coverage and the incremental contract of the
marts: a windowed run replaces exactly its months, reads earlier months back without rebuilding
them, and clears a month whose facts disappeared. The run's window is the row of raw.run_window
(as the Dagster dbt asset writes it), so a new window leaves dbt's partial parse warm; the data
tests of the month-grained models check that window only, several assertions per test.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT = ROOT / "dbt_project"
SAMPLES = ROOT / "samples" / "reports"
WINDOW = "2023-06"
PREVIOUS = "2023-05"


def dbt_runner():
    """dbt's Python API, imported when a test first runs dbt (not when the tests are collected)."""
    from dbt.cli.main import dbtRunner

    return dbtRunner()


class Dbt:
    """Runs dbt in-process against the scratch warehouse, with target and logs kept in the tmp dir."""

    def __init__(self, home: Path):
        self.home = home
        self.target = home / "dbt_target"
        self.logs = home / "dbt_logs"
        self.warehouse = home / "warehouse.duckdb"

    def __call__(self, *args: str):
        argv = [
            *args,
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(self.target),
            "--log-path",
            str(self.logs),
        ]
        result = dbt_runner().invoke(argv)
        if not result.success:
            failures = [
                f"{r.node.name}: {r.status} {r.message}"
                for r in (getattr(result.result, "results", None) or [])
                if str(r.status) not in ("success", "pass", "skipped")
            ]
            pytest.fail(f"dbt {' '.join(args)} failed: {result.exception or failures}")
        return result

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse))
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def manifest(self) -> dict:
        return json.loads((self.target / "manifest.json").read_text(encoding="utf-8"))


def load_raw(months: list[str] | None = None) -> None:
    """The raw layer, as Dagster's raw_reports/extracted_facts assets write it."""
    from devzone import settings
    from devzone.warehouse import connect, load_documents, load_facts

    con = connect(settings.warehouse_path())
    try:
        for month_dir in sorted(settings.landing_dir().iterdir()):
            if months is None or month_dir.name in months:
                load_documents(con, month_dir.name, month_dir)
                load_facts(con, month_dir.name)
    finally:
        con.close()


@pytest.fixture(scope="session")
def dbt(tmp_path_factory):
    pytest.importorskip("dbt.cli.main")
    if not any(SAMPLES.glob(f"{WINDOW}/*")):
        pytest.skip(f"no sample reports for {WINDOW}")
    home = tmp_path_factory.mktemp("devzone_dbt")
    landing = home / "landing"
    for month in sorted(p for p in SAMPLES.iterdir() if p.is_dir()):
        shutil.copytree(month, landing / month.name)
    # A synthetic previous month: the first 2023-06 report filed again under 2023-05, its stated
    # period changed to match (a report stating 上半年 under 2023-05 would be quarantined as misfiled).
    (landing / PREVIOUS).mkdir(exist_ok=True)
    first = sorted(p for p in (landing / WINDOW).iterdir() if p.suffix == ".txt")[0]
    text = first.read_text(encoding="utf-8-sig")
    assert "上半年" in text[:200]
    (landing / PREVIOUS / first.name).write_text(text.replace("上半年", "1-5月", 1), encoding="utf-8")

    saved = {k: os.environ.get(k) for k in ("DEVZONE_HOME", "DO_NOT_TRACK")}
    os.environ["DEVZONE_HOME"] = str(home)
    os.environ["DO_NOT_TRACK"] = "1"
    try:
        load_raw()
        runner = Dbt(home)
        set_window(runner, None)
        runner("seed")
        runner("build")
        yield runner
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def set_window(dbt: Dbt, start: str | None, end: str | None = None) -> None:
    """The run's window as Dagster writes it before `dbt build`; None: no row (every month)."""
    from devzone.warehouse import connect, record_run_window

    con = connect(dbt.warehouse)
    try:
        if start is None:
            con.execute("delete from raw.run_window")
        else:
            record_run_window(con, start, end or start)
    finally:
        con.close()


def all_rows(dbt: Dbt, table: str = "fct_indicator") -> list[tuple]:
    return dbt.query(f"select * from main.{table} order by all")


def execute(dbt: Dbt, sql: str, params: list | None = None) -> None:
    con = duckdb.connect(str(dbt.warehouse))
    try:
        con.execute(sql, params or [])
    finally:
        con.close()


def test_build_fills_the_marts_and_reports(dbt):
    counts = {
        t: dbt.query(f"select count(*) from main.{t}")[0][0]
        for t in (
            "fct_indicator",
            "fct_project_pipeline",
            "dim_city",
            "dim_zone",
            "dim_indicator",
            "dim_period",
            "rpt_city_month_kpis",
            "rpt_zone_ranking",
            "rpt_indicator_trend",
            "rpt_pipeline_conversion",
            "rpt_fact_lineage",
            "rpt_documents",
        )
    }
    assert all(n > 0 for n in counts.values()), counts
    assert counts["dim_city"] == 11
    assert counts["dim_period"] == 15 * 12
    # every raw statement shows up in the lineage
    raw = dbt.query("select (select count(*) from raw.indicator_facts) + (select count(*) from raw.pipeline_facts)")[0][
        0
    ]
    assert counts["rpt_fact_lineage"] == raw
    # codes stay text, cumulative is boolean
    types = dict(
        dbt.query(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'main' and table_name in ('cities', 'indicators')"
        )
    )
    assert types["city_code"] == "VARCHAR" and types["cumulative"] == "BOOLEAN"


def test_every_model_and_column_is_described(dbt):
    manifest = dbt.manifest()
    problems = []
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed") or node["package_name"] != "devzone":
            continue
        if not node.get("description", "").strip():
            problems.append(f"{node['name']}: no description")
        documented = {name: col.get("description", "").strip() for name, col in node["columns"].items()}
        built = [
            r[0]
            for r in dbt.query(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [node["schema"], node["alias"]],
            )
        ]
        assert built, f"{node['name']} was not built"
        problems += [f"{node['name']}.{c}: no description" for c in built if not documented.get(c)]
        problems += [f"{node['name']}.{c}: documented but not built" for c in documented if c not in built]
    for source in manifest["sources"].values():
        if not source.get("description", "").strip():
            problems.append(f"source {source['name']}: no description")
        problems += [
            f"source {source['name']}.{c}: no description"
            for c, col in source["columns"].items()
            if not col.get("description", "").strip()
        ]
        if source["name"] == "run_window":
            # written by the dbt asset itself and read by name (raw.run_window), never with source():
            # no upstream asset of the dbt models in Dagster
            users = [
                n["name"] for n in manifest["nodes"].values() if source["unique_id"] in n["depends_on"].get("nodes", [])
            ]
            assert not users, users
            continue
        key = source["config"]["meta"]["dagster"]["asset_key"]
        if source["name"].endswith("_facts"):
            assert key == ["extracted_facts", source["name"]], key
        elif source["name"] in ("documents", "document_history", "duplicate_files", "quarantine"):
            assert key == ["raw_reports", source["name"]], key
        else:  # written by another Python asset (e.g. the quality gate's check results)
            assert len(key) == 2 and key[-1] == source["name"], key
    assert not problems, "\n".join(problems)


def test_window_rebuild_is_idempotent_and_leaves_other_months_alone(dbt):
    """Two runs over 2023-06 give the same table; rows of other months are not rewritten: a marker
    put into every other month's evidence (which a rebuild would erase) survives both runs."""
    marker = " [untouched]"
    periods = {p for (p,) in dbt.query("select distinct period from main.fct_indicator")}
    assert WINDOW in periods and len(periods) > 1
    execute(dbt, "update main.fct_indicator set evidence = evidence || ? where period <> ?", [marker, WINDOW])
    try:
        before = all_rows(dbt)
        set_window(dbt, WINDOW)
        for _ in range(2):
            dbt("build")
            assert all_rows(dbt) == before
        marked = dbt.query(
            "select period, count(*) filter (where ends_with(evidence, ?)), count(*) "
            "from main.fct_indicator group by period",
            [marker],
        )
        assert all((n == 0) if p == WINDOW else (n == total) for p, n, total in marked), marked
    finally:
        execute(
            dbt,
            "update main.fct_indicator set evidence = left(evidence, length(evidence) - ?) "
            "where ends_with(evidence, ?)",
            [len(marker), marker],
        )


def test_window_reads_the_previous_month_from_the_built_table(dbt):
    """single_month_value of 2023-06 subtracts 2023-05 as stored in fct_indicator, not recomputed."""

    def single_months():
        return dict(
            dbt.query(
                "select indicator_fact_key, single_month_value from main.fct_indicator "
                "where period = ? and previous_month_value is not null",
                [WINDOW],
            )
        )

    original = single_months()
    assert original, "the synthetic 2023-05 copy should give 2023-06 previous months"
    assert all(abs(v) < 1e-9 for v in original.values())  # same report filed twice: no growth in between
    execute(dbt, "update main.fct_indicator set value = value - 1 where period = ?", [PREVIOUS])
    try:
        stored_previous = dbt.query("select * from main.fct_indicator where period = ? order by all", [PREVIOUS])
        set_window(dbt, WINDOW)
        dbt("run", "--select", "fct_indicator")
        shifted = single_months()
        assert shifted.keys() == original.keys()
        assert all(abs(v - 1) < 1e-9 for v in shifted.values()), shifted
        # and the previous month itself was read, not rebuilt
        assert (
            dbt.query("select * from main.fct_indicator where period = ? order by all", [PREVIOUS]) == stored_previous
        )
    finally:  # rebuild both months from upstream for the tests that follow
        set_window(dbt, PREVIOUS, WINDOW)
        dbt("run", "--select", "fct_indicator")
    assert single_months() == original


def test_window_clears_a_month_whose_facts_disappeared(dbt):
    others_before = dbt.query("select count(*) from main.fct_indicator where period <> ?", [WINDOW])
    execute(dbt, "delete from raw.indicator_facts where period = ?", [WINDOW])
    execute(dbt, "delete from raw.pipeline_facts where period = ?", [WINDOW])
    try:
        set_window(dbt, WINDOW)
        dbt("run", "--select", "fct_indicator", "fct_project_pipeline")
        for table in ("fct_indicator", "fct_project_pipeline"):
            assert dbt.query(f"select count(*) from main.{table} where period = ?", [WINDOW]) == [(0,)]
        assert dbt.query("select count(*) from main.fct_indicator where period <> ?", [WINDOW]) == others_before
    finally:
        load_raw([WINDOW])
        set_window(dbt, WINDOW)
        dbt("run", "--select", "fct_indicator", "fct_project_pipeline")
    assert dbt.query("select count(*) from main.fct_indicator where period = ?", [WINDOW])[0][0] > 0


def test_bad_window_is_refused(dbt):
    """A malformed row in raw.run_window fails the incremental marts before anything is deleted."""
    before = all_rows(dbt)
    execute(dbt, "delete from raw.run_window")
    execute(dbt, "insert into raw.run_window values (?, ?)", ["2023-6", WINDOW])
    try:
        result = dbt_runner().invoke(
            [
                "run",
                "--select",
                "fct_indicator",
                "--project-dir",
                str(DBT_PROJECT),
                "--profiles-dir",
                str(DBT_PROJECT),
                "--target-path",
                str(dbt.target),
                "--log-path",
                str(dbt.logs),
            ]
        )
        assert not result.success
        assert "raw.run_window must hold" in str([r.message for r in result.result.results])
        assert all_rows(dbt) == before
    finally:
        set_window(dbt, WINDOW)


def test_an_empty_window_rebuilds_every_month(dbt):
    marker = " [untouched]"
    execute(dbt, "update main.fct_indicator set evidence = evidence || ?", [marker])
    try:
        set_window(dbt, None)
        dbt("run", "--select", "fct_indicator")
        periods = dict(
            dbt.query(
                "select period, count(*) filter (where ends_with(evidence, ?)) from main.fct_indicator group by period",
                [marker],
            )
        )
        assert len(periods) > 1 and not any(periods.values()), periods
    finally:
        execute(
            dbt,
            "update main.fct_indicator set evidence = left(evidence, length(evidence) - ?) "
            "where ends_with(evidence, ?)",
            [len(marker), marker],
        )
        set_window(dbt, WINDOW)


def test_a_new_window_keeps_the_partial_parse(dbt):
    """The window is data: dbt compiles the same SQL every month, so parsing with another window
    reuses the saved manifest (a changed var would force a full parse of the project)."""
    log = dbt.logs / "dbt.log"
    set_window(dbt, PREVIOUS)
    dbt("parse")
    set_window(dbt, WINDOW)
    offset = log.stat().st_size
    dbt("parse")
    with open(log, encoding="utf-8", errors="replace") as f:
        f.seek(offset)
        second = f.read()
    assert "Unable to do partial parsing" not in second
    assert "Partial parsing enabled" in second
    perf = json.loads((dbt.target / "perf_info.json").read_text(encoding="utf-8"))
    assert perf["parsed_path_count"] < perf["path_count"], perf


def test_month_grained_tests_check_the_window_only(dbt):
    """The data tests of the month-grained models read raw.run_window in their `where`, and a
    consolidated test still names each failing column: a fault in the window fails its tests, the
    same fault in an earlier month (tested when it ran) does not."""
    manifest = dbt.manifest()
    unwindowed = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        model = node["attached_node"].split(".")[-1]
        month_grained = "period" in manifest["nodes"][node["attached_node"]]["columns"]
        if (
            model.startswith(("stg_", "int_", "fct_", "rpt_", "dim_document"))
            and "/quality/" not in node["original_file_path"]
            and month_grained  # not the corrections journal's models: every line, every run
        ):
            where = node["config"].get("where") or ""
            # `where: 'true'`: every row on purpose (the corrections in force are not month-grained)
            if "raw.run_window" not in where and where.strip() != "true":
                unwindowed.append(node["name"])
    assert not unwindowed, unwindowed

    execute(dbt, "create table main.fct_indicator_saved as select * from main.fct_indicator")
    try:
        for period in (PREVIOUS, WINDOW):
            execute(
                dbt,
                "update main.fct_indicator set unit = 'bogus', city_code = 'nowhere', evidence = null "
                "where indicator_fact_key = (select min(indicator_fact_key) from main.fct_indicator "
                "where period = ?)",
                [period],
            )
        set_window(dbt, WINDOW)
        result = dbt_runner().invoke(
            [
                "test",
                "--select",
                "fct_indicator",
                "--exclude-resource-type",
                "unit_test",
                "--project-dir",
                str(DBT_PROJECT),
                "--profiles-dir",
                str(DBT_PROJECT),
                "--target-path",
                str(dbt.target),
                "--log-path",
                str(dbt.logs),
            ]
        )
        failed = {r.node.name: int(r.failures or 0) for r in result.result.results if str(r.status) == "fail"}
        # one row each, of the window's month only
        assert failed == {
            "accepted_values_fct_indicator": 1,
            "relationships_fct_indicator": 1,
            "not_null_fct_indicator": 1,
        }, failed
    finally:
        execute(dbt, "delete from main.fct_indicator")
        execute(dbt, "insert into main.fct_indicator select * from main.fct_indicator_saved")
        execute(dbt, "drop table main.fct_indicator_saved")
