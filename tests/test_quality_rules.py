"""The quality gate's rules (devzone/quality/, expectations/*.json), on real inputs.

One warehouse per module: sample months (2023-06, the bulletin month 2023-09, and a 2023-05 copy
of the first 2023-06 report, so that June has a previous month) landed and extracted as the raw
assets write them, then dbt's seeds, fact marts and cross-check models built. Each test injects
one kind of bad data into the warehouse inside a transaction (rolled back afterwards), lets the gate
read its frames from the warehouse (the cross-checks from the dbt models, which see the change) and
asserts that the expectation that must catch it fails with its severity. Faults a warehouse cannot
hold (a row of another period in the month's frame, a column gone) are injected into the frames
the gate read. Suites a test does not concern are not run, to keep the file fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import ROOT

from devzone import raw_tables, settings, warehouse
from devzone.extraction.reference import load_reference
from devzone.quality import data_docs, gate, suites
from devzone.quality.frames import read_month, read_months
from devzone.quality.results import CheckResult

SAMPLES = ROOT / "samples" / "reports"
MONTHS = ("2023-06", "2023-09")
JUNE, PREVIOUS = "2023-06", "2023-05"
DBT = str(Path(sys.executable).with_name("dbt"))


def dbt(home: Path, *args: str) -> None:
    env = {**os.environ, "DEVZONE_HOME": str(home), "DO_NOT_TRACK": "1"}
    command = [
        DBT,
        *args,
        "--project-dir",
        str(settings.DBT_PROJECT_DIR),
        "--profiles-dir",
        str(settings.DBT_PROJECT_DIR),
        "--target-path",
        str(home / "dbt_target"),
        "--log-path",
        str(home / "dbt_logs"),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("quality_rules")
    landing = home / "landing"
    for month in MONTHS:
        shutil.copytree(SAMPLES / month, landing / month)
    # The previous month: the first June report filed again under 2023-05, its period restated.
    first = sorted((landing / JUNE).iterdir())[0]
    (landing / PREVIOUS).mkdir()
    text = first.read_text(encoding="utf-8-sig")
    (landing / PREVIOUS / first.name).write_text(text.replace("上半年", "1-5月", 1), encoding="utf-8")
    con = warehouse.connect(home / "warehouse.duckdb")
    try:
        for month in sorted(p.name for p in landing.iterdir()):
            warehouse.load_documents(con, month, landing / month)
            warehouse.load_facts(con, month)
    finally:
        con.close()
    # The marts and the cross-check models (and what they read), without dbt's tests.
    dbt(
        home,
        "build",
        "--select",
        "+int_cross_checks",
        "--exclude-resource-type",
        "test",
        "--exclude-resource-type",
        "unit_test",
    )
    return home


@pytest.fixture(scope="module")
def ref():
    return load_reference()


@pytest.fixture
def con(home):
    """The warehouse, in a transaction that each test rolls back."""
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    con.begin()
    try:
        yield con
    finally:
        con.rollback()
        con.close()


def run(con, ref, *suite_names: str, period: str = JUNE) -> dict[tuple[str, str], CheckResult]:
    checks = gate.validate_month(con, period, ref, suites=suite_names or suites.SUITE_NAMES).checks
    return {(c.suite, c.expectation): c for c in checks}


def run_frames(frames, ref, *suite_names: str, period: str = JUNE) -> dict[tuple[str, str], CheckResult]:
    checks = gate.run_month(period, frames, ref, suites=suite_names).checks
    return {(c.suite, c.expectation): c for c in checks}


def assert_fails(results, suite: str, expectation: str, severity: str) -> CheckResult:
    check = results[(suite, expectation)]
    assert not check.success, f"{suite}: {expectation} passed: {check.observed_value}"
    assert check.severity == severity
    assert check.failing_count >= 1 and check.failing_sample, check
    return check


def errors(results) -> list[str]:
    return [
        f"{c.suite}: {c.expectation} — {c.observed_value}"
        for c in results.values()
        if not c.success and c.severity == "ERROR"
    ]


def first_fact(con, table: str, where: str, period: str = JUNE) -> tuple[str, int]:
    """(doc_id, fact_seq) of the month's first raw fact that matches `where`."""
    row = con.execute(
        f"select doc_id, fact_seq from raw.{table} where period = ? and {where} order by doc_id, fact_seq limit 1",
        [period],
    ).fetchone()
    assert row, f"no raw.{table} row where {where}"
    return row


def set_fact(con, table: str, where: str, assignments: str, params: list | None = None) -> tuple[str, int]:
    doc_id, seq = first_fact(con, table, where)
    con.execute(
        f"update raw.{table} set {assignments} where period = ? and doc_id = ? and fact_seq = ?",
        [*(params or []), JUNE, doc_id, seq],
    )
    return doc_id, seq


def first_key(con, mart: str, where: str) -> str:
    key = "indicator_fact_key" if mart == "fct_indicator" else "pipeline_fact_key"
    row = con.execute(
        f"select {key} from main.{mart} where period = ? and {where} order by {key} limit 1", [JUNE]
    ).fetchone()
    assert row, f"no {mart} row where {where}"
    return row[0]


def set_mart(con, mart: str, where: str, assignments: str) -> str:
    key = "indicator_fact_key" if mart == "fct_indicator" else "pipeline_fact_key"
    value = first_key(con, mart, where)
    con.execute(f"update main.{mart} set {assignments} where {key} = ?", [value])
    return value


# -- the suites --------------------------------------------------------------------------------
def test_suites_are_gx_suite_json_with_severity_and_rule(ref):
    from great_expectations.core.expectation_suite import ExpectationSuite

    parameters = suites.suite_parameters(ref, JUNE)
    for name in suites.SUITE_NAMES:
        data = json.loads((suites.EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))
        suite = ExpectationSuite(**data)  # GX's own class reads the file as it is
        assert suite.name == name and len(suite.expectations) == len(data["expectations"])
        for e in data["expectations"]:
            assert e["meta"]["severity"] in ("error", "warn") and len(e["meta"]["rule"]) > 20
            # the managers read the rule in Chinese: no English word in it (codes and units aside)
            assert len(e["meta"]["rule_zh"]) > 5 and not re.search(r"[A-Za-z]{4,}", e["meta"]["rule_zh"])
            for value in e["kwargs"].values():
                if isinstance(value, dict) and "$PARAMETER" in value:
                    assert value["$PARAMETER"] in parameters
        built = suites.build_suite(data)
        ids = [e.meta["expectation"] for e in built.expectations]
        assert len(set(ids)) == len(ids)
        assert {e.severity.value for e in built.expectations} <= {"critical", "warning"}


def test_suite_parameters_come_from_the_seeds_and_dbt_vars(ref):
    p = suites.suite_parameters(ref, JUNE)
    pairs = {tuple(x) for x in p["indicator_unit_pairs"]}
    assert ("industrial_value_added", "亿元") in pairs and ("industrial_value_added", "万元") not in pairs
    assert ("foreign_investment_used", "亿美元") in pairs and ("foreign_investment_used", "亿元") not in pairs
    # a count may be stated in any of its count units (the seed's count_units)
    assert {("filed_projects", u) for u in ref.indicator_by_code["filed_projects"].count_units} <= pairs
    assert {"个", "家", "项", "宗", "件"} <= set(ref.count_units) and ("forest_coverage", "%") in pairs
    assert ["140600-JK", "朔州市"] in p["zone_code_city_name_pairs"] and len(p["city_names"]) == 11
    narrowed = suites.suite_parameters(
        ref, JUNE, zone_codes={"140600-JK", "999999-XX"}, indicator_codes={"tax_revenue"}
    )
    assert narrowed["zone_codes"] == ["140600-JK"] and narrowed["indicator_unit_pairs"] == [["tax_revenue", "亿元"]]
    tolerance = float(suites.dbt_vars()["rate_tolerance_pp"])
    assert p["rate_gap_max_pp"] == pytest.approx(tolerance) and p["rate_gap_min_pp"] == pytest.approx(-tolerance)


def test_the_readme_tables_are_the_suites():
    from devzone.quality.__main__ import RULES_INTRO

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{RULES_INTRO}" in readme and suites.rules_markdown() in readme, (
        "regenerate with: python -m devzone.quality rules --readme README.md"
    )


# -- clean months --------------------------------------------------------------------------------
def test_clean_month_has_no_error(con, ref):
    results = run(con, ref)
    assert not errors(results)
    assert {suite for suite, _ in results} == set(suites.SUITE_NAMES) and len(results) > 60
    assert all(c.severity in ("ERROR", "WARN") and c.rule for c in results.values())
    # The cross-checks had rows to check.
    for check in (
        "document_facts: expect_column_values_to_be_between(fact_count)",
        "zone_within_city: expect_column_pair_values_a_to_be_greater_than_b(city_value, zone_value)",
        "cumulative_progress: expect_column_pair_values_a_to_be_greater_than_b(value, previous_value)",
        "expected_city: expect_column_values_to_be_in_set(filed)",
    ):
        result = results[("cross_checks", check)]
        assert result.success and result.observed_value.endswith("rows checked, all pass"), (check, result)
        assert not result.observed_value.startswith("0 rows"), check


def test_clean_bulletin_month_with_province_rows_has_no_error(con, ref):
    frames = read_month(con, "2023-09", ref)
    assert frames["fct_indicator"]["is_province"].any()  # province-wide rows (city null) are checked too
    assert not errors(run_frames(frames, ref, *suites.SUITE_NAMES, period="2023-09"))


def test_the_frames_are_read_in_a_fixed_order(con, ref):
    frames = read_month(con, JUNE, ref)
    assert list(frames) == list(suites.SUITE_NAMES)
    cross = frames["cross_checks"]
    assert list(cross["check"].drop_duplicates()) == [
        "document_facts",
        "zone_within_city",
        "city_growth",
        "cumulative_progress",
        "expected_city",
        "named_zone",
    ]
    assert cross.equals(read_month(con, JUNE, ref, suites=("cross_checks",))["cross_checks"])


# -- the run's months validated together ----------------------------------------------------------
def test_months_validated_together_give_each_month_the_results_of_validating_it_alone(con, ref):
    # A fault in June only: a negative investment (an error) and a zone unknown to the seed (a warning).
    set_fact(con, "pipeline_facts", "measure = 'investment'", "value = -128.6")
    set_fact(con, "indicator_facts", "zone is not null", "zone = '龙泉新材料产业园区', zone_code = null")
    months = [PREVIOUS, JUNE, "2023-09"]
    together = gate.validate_months(con, months, ref)
    assert together.window == f"{PREVIOUS}…2023-09" and [m.period for m in together.months] == months
    for month in together.months:
        assert month.checks == gate.validate_month(con, month.period, ref).checks, month.period
    june = {c.name: c for m in together.months if m.period == JUNE for c in m.checks}
    assert not june["extracted_pipeline_facts: expect_column_values_to_be_between(value)"].success
    assert [m.period for m in together.months if not m.passed] == [JUNE] and not together.passed
    # Data Docs show what GX validated: each suite over the window (June's failing rows among them).
    assert together.documented_runs() == [(together.window, together.suite_results)]
    assert set(together.suite_results) == set(suites.SUITE_NAMES)
    assert not together.suite_results["extracted_pipeline_facts"].success


def test_a_months_failing_values_past_the_200_gx_lists_come_from_its_rows(con, ref):
    june = read_month(con, JUNE, ref, suites=("cross_checks",))["cross_checks"]
    pair = june["check"] == "zone_within_city"
    assert pair.sum() >= 2
    june.loc[pair, "zone_value"] = june.loc[pair, "city_value"] * 2 + 1  # every zone above its city
    # An earlier month with over 200 such rows, so that June's are past the list GX keeps.
    earlier = pd.concat([june.assign(period=PREVIOUS)] * (201 // int(pair.sum()) + 1), ignore_index=True)
    frames = {"cross_checks": pd.concat([earlier, june], ignore_index=True)}
    together = gate.run_months([PREVIOUS, JUNE], frames, ref, suites=["cross_checks"])
    window = together.suite_results["cross_checks"]
    listed = next(
        r for r in window.results if not r.success and "zone_within_city" in r.expectation_config.meta["expectation"]
    )
    assert len(listed.result["unexpected_list"]) < listed.result["unexpected_count"]  # GX's list is capped
    for month, alone in zip(together.months, (earlier, june), strict=True):
        assert (
            month.checks == gate.run_month(month.period, {"cross_checks": alone}, ref, suites=["cross_checks"]).checks
        )
        assert not month.suite_results  # told apart from the window, not validated again
    failed = next(c for c in together.months[1].checks if not c.success and "zone_within_city" in c.expectation)
    assert failed.failing_count == pair.sum() and failed.failing_sample
    # every failing row's facts, not only the sample's
    assert failed.failing_keys == sorted({k for keys in june.loc[pair, "correction_keys"] for k in keys.split(",")})


def test_a_failure_gx_cannot_place_in_a_month_is_validated_month_by_month(con, ref):
    months = [PREVIOUS, JUNE]
    frames = read_months(con, months, ref, suites=("fct_indicator",))
    frames["fct_indicator"] = frames["fct_indicator"].drop(columns=["unit"])  # no failing rows to name
    together = gate.run_months(months, frames, ref, suites=["fct_indicator"])
    for month in together.months:
        columns = next(c for c in month.checks if c.expectation == "expect_table_columns_to_match_set")
        assert not columns.success and columns.observed_value == "missing columns: unit", month.period
        assert set(month.suite_results) == {"fct_indicator"}  # validated alone, so Data Docs show it
    assert [period for period, _ in together.documented_runs()] == [together.window, *months]


# -- injected faults: the extracted facts ---------------------------------------------------------
def test_zone_unknown_to_the_reference_is_a_warning_and_its_facts_are_flagged_for_review(con, ref):
    # A zone the reference does not know (found by its suffix, its city only assumed).
    set_fact(
        con,
        "indicator_facts",
        "zone is not null",
        "zone = '龙泉新材料产业园区', zone_code = null, zone_resolved = false, confidence = 'review', "
        "review_reasons = 'zone_not_in_reference'",
    )
    results = run(con, ref, "extracted_indicator_facts", "cross_checks")
    unresolved = results[("cross_checks", "named_zone: expect_column_values_to_be_in_set(city_resolved)")]
    assert (
        not unresolved.success and unresolved.severity == "WARN" and "龙泉新材料产业园区" in unresolved.observed_value
    )
    unknown = results[("cross_checks", "named_zone: expect_column_values_to_be_in_set(in_reference)")]
    assert not unknown.success and "龙泉新材料产业园区" in unknown.observed_value
    review = results[("extracted_indicator_facts", "expect_column_values_to_be_in_set(confidence) [warn]")]
    assert not review.success and review.severity == "WARN" and review.failing_count == 1
    assert review.failing_sample[0]["review_reasons"] == "zone_not_in_reference"


def test_negative_investment_is_an_error(con, ref):
    set_fact(con, "pipeline_facts", "measure = 'investment'", "value = -128.6")
    set_mart(con, "fct_project_pipeline", "investment > 0", "investment = -investment")
    results = run(con, ref, "extracted_pipeline_facts", "fct_project_pipeline")
    check = assert_fails(results, "extracted_pipeline_facts", "expect_column_values_to_be_between(value)", "ERROR")
    assert (
        check.failing_count == 1 and check.failing_sample[0]["value"] == -128.6 and check.failing_sample[0]["evidence"]
    )
    assert_fails(results, "fct_project_pipeline", "expect_column_values_to_be_between(investment)", "ERROR")


def test_unknown_city_is_an_error(con, ref):
    set_fact(con, "indicator_facts", "city is not null", "city = '北京市'")
    set_mart(con, "fct_indicator", "city_name is not null", "city_name = '北京市'")
    results = run(con, ref, "extracted_indicator_facts", "fct_indicator")
    check = assert_fails(results, "extracted_indicator_facts", "expect_column_values_to_be_in_set(city)", "ERROR")
    assert check.failing_sample[0]["city"] == "北京市" and "北京市" in check.observed_value
    assert_fails(results, "fct_indicator", "expect_column_values_to_be_in_set(city_name)", "ERROR")


def test_wrong_unit_for_an_indicator_is_an_error(con, ref):
    set_fact(con, "indicator_facts", "metric = 'industrial_value_added'", "unit = '万元'")
    set_mart(con, "fct_indicator", "indicator_code = 'standard_land_parcels'", "unit = '亩'")
    results = run(con, ref, "extracted_indicator_facts", "fct_indicator")
    check = assert_fails(
        results, "extracted_indicator_facts", "expect_column_pair_values_to_be_in_set(metric, unit)", "ERROR"
    )
    assert check.failing_count == 1 and check.failing_sample[0]["unit"] == "万元"
    assert_fails(results, "fct_indicator", "expect_column_pair_values_to_be_in_set(indicator_code, unit)", "ERROR")


def test_any_count_unit_of_a_count_indicator_is_accepted(con, ref):
    unit = ref.indicator_by_code["filed_projects"].count_units[-1]
    con.execute("update raw.indicator_facts set unit = ? where period = ? and metric = 'filed_projects'", [unit, JUNE])
    assert con.execute(
        "select count(*) from raw.indicator_facts where period = ? and unit = ?", [JUNE, unit]
    ).fetchone()[0]
    results = run(con, ref, "extracted_indicator_facts")
    assert results[("extracted_indicator_facts", "expect_column_pair_values_to_be_in_set(metric, unit)")].success


def test_period_other_than_the_partition_is_an_error(con, ref):
    # The gate reads the month's rows by period: a row of another period can only reach it in the
    # frame itself (a loading fault), which is what these expectations guard against.
    frames = read_month(
        con, JUNE, ref, suites=("extracted_indicator_facts", "extracted_pipeline_facts", "fct_indicator")
    )
    frames["extracted_indicator_facts"].loc[3, "period"] = PREVIOUS
    frames["extracted_pipeline_facts"]["period"] = "2023-07"
    frames["fct_indicator"].loc[0, "period"] = PREVIOUS
    results = run_frames(frames, ref, "extracted_indicator_facts", "extracted_pipeline_facts", "fct_indicator")
    check = assert_fails(results, "extracted_indicator_facts", "expect_column_values_to_be_in_set(period)", "ERROR")
    assert check.failing_count == 1
    pipeline = results[("extracted_pipeline_facts", "expect_column_values_to_be_in_set(period)")]
    assert pipeline.failing_count == len(frames["extracted_pipeline_facts"])
    assert_fails(results, "fct_indicator", "expect_column_values_to_be_in_set(period)", "ERROR")


def test_non_integer_counts_are_errors(con, ref):
    set_fact(con, "pipeline_facts", "measure = 'projects'", "value = 57.5")
    set_mart(con, "fct_project_pipeline", "projects is not null", "projects = projects + 0.4")
    set_fact(con, "indicator_facts", "unit = '个'", "value = 33.3")
    set_mart(
        con, "fct_indicator", "indicator_code = 'standard_land_parcels' and value is not null", "value = value + 0.5"
    )
    results = run(
        con, ref, "extracted_pipeline_facts", "fct_project_pipeline", "extracted_indicator_facts", "fct_indicator"
    )
    check = assert_fails(
        results, "extracted_pipeline_facts", "expect_column_values_to_be_between(count_fractional_part)", "ERROR"
    )
    assert check.failing_sample[0]["value"] == 57.5 and check.failing_sample[0]["measure"] == "projects"
    assert_fails(results, "fct_project_pipeline", "expect_column_values_to_be_between(count_fractional_part)", "ERROR")
    check = assert_fails(
        results, "extracted_indicator_facts", "expect_column_values_to_be_between(count_fractional_part)", "ERROR"
    )
    assert check.failing_sample[0]["value"] == 33.3
    check = assert_fails(results, "fct_indicator", "expect_column_values_to_be_between(count_fractional_part)", "ERROR")
    assert check.failing_count == 1 and check.failing_sample[0]["indicator_code"] == "standard_land_parcels"


def test_implausible_growths(con, ref):
    set_fact(con, "indicator_facts", "yoy_pct is not null", "yoy_pct = -120.0")
    set_fact(con, "indicator_facts", "yoy_pct is not null and yoy_pct > -100", "yoy_pct = 350.0")
    results = run(con, ref, "extracted_indicator_facts")
    error = assert_fails(
        results, "extracted_indicator_facts", "expect_column_values_to_be_between(yoy_pct) [error]", "ERROR"
    )
    assert error.failing_count == 1 and error.failing_sample[0]["yoy_pct"] == -120.0
    warn = assert_fails(
        results, "extracted_indicator_facts", "expect_column_values_to_be_between(yoy_pct) [warn]", "WARN"
    )
    assert warn.failing_count == 1 and warn.failing_sample[0]["yoy_pct"] == 350.0


def test_zone_under_another_city_is_an_error(con, ref):
    set_fact(con, "indicator_facts", "zone_code = '140404-JK'", "city = '太原市'")
    results = run(con, ref, "extracted_indicator_facts")
    assert_fails(
        results, "extracted_indicator_facts", "expect_column_pair_values_to_be_in_set(zone_code, city)", "ERROR"
    )


# -- injected faults: the marts ------------------------------------------------------------------
def test_duplicated_facts_are_errors(con, ref):
    key = first_key(con, "fct_indicator", "true")
    con.execute("insert into main.fct_indicator select * from main.fct_indicator where indicator_fact_key = ?", [key])
    key = first_key(con, "fct_project_pipeline", "stage = 'started'")
    con.execute(
        "insert into main.fct_project_pipeline select * from main.fct_project_pipeline where pipeline_fact_key = ?",
        [key],
    )
    results = run(con, ref, "fct_indicator", "fct_project_pipeline")
    check = assert_fails(
        results,
        "fct_indicator",
        "expect_compound_columns_to_be_unique(period, city_code, zone_key, indicator_code, basis)",
        "ERROR",
    )
    assert check.failing_count == 2
    assert_fails(
        results,
        "fct_project_pipeline",
        "expect_compound_columns_to_be_unique(period, city_code, zone_key, scope, stage)",
        "ERROR",
    )


def test_rate_two_points_off_is_a_warning_with_both_numbers(con, ref):
    key = set_mart(
        con,
        "fct_project_pipeline",
        "reported_rate_pct is not null",
        "reported_rate_pct = round(reported_rate_pct + 2, 2)",
    )
    reported = con.execute(
        "select reported_rate_pct from main.fct_project_pipeline where pipeline_fact_key = ?", [key]
    ).fetchone()[0]
    results = run(con, ref, "fct_project_pipeline")
    check = assert_fails(
        results, "fct_project_pipeline", "expect_column_values_to_be_between(recomputed_rate_gap_pp)", "WARN"
    )
    sample = check.failing_sample[0]
    assert check.failing_count == 1 and sample["reported_rate_pct"] == reported
    assert sample["recomputed_rate_pct"] == pytest.approx(reported - 2, abs=0.01)
    assert not errors(results)


def test_rates_rounded_or_truncated_are_accepted(con, ref):
    exact = (
        "advanced_investment / (case when stage = 'in_production' and industrial_investment is not null "
        "then industrial_investment else investment end) * 100"
    )
    assert (
        con.execute(
            "select count(*) from main.fct_project_pipeline where period = ? and reported_rate_pct is not null", [JUNE]
        ).fetchone()[0]
        > 0
    )
    for how in (f"round({exact}, 2)", f"floor({exact} * 100) / 100"):
        con.execute(
            f"update main.fct_project_pipeline set reported_rate_pct = {how} "
            "where period = ? and reported_rate_pct is not null",
            [JUNE],
        )
        check = run(con, ref, "fct_project_pipeline")[
            ("fct_project_pipeline", "expect_column_values_to_be_between(recomputed_rate_gap_pp)")
        ]
        assert check.success, (how, check.observed_value)


def test_advanced_projects_above_projects_is_an_error(con, ref):
    set_mart(con, "fct_project_pipeline", "advanced_projects is not null", "advanced_projects = projects + 5")
    results = run(con, ref, "fct_project_pipeline")
    assert_fails(
        results,
        "fct_project_pipeline",
        "expect_column_pair_values_a_to_be_greater_than_b(projects, advanced_projects)",
        "ERROR",
    )


def test_missing_column_is_an_error(con, ref):
    frames = read_month(con, JUNE, ref, suites=("fct_indicator",))
    frames["fct_indicator"] = frames["fct_indicator"].drop(columns=["unit"])
    results = run_frames(frames, ref, "fct_indicator")
    check = assert_fails(results, "fct_indicator", "expect_table_columns_to_match_set", "ERROR")
    assert check.observed_value == "missing columns: unit"
    unit = results[("fct_indicator", "expect_column_pair_values_to_be_in_set(indicator_code, unit)")]
    assert not unit.success and unit.observed_value.startswith("could not be evaluated")


def test_conflicting_sources_are_a_warning(con, ref):
    set_mart(
        con,
        "fct_indicator",
        "true",
        "has_conflicting_sources = true, source_count = 2, conflicting_statements = 'a.txt：甲 ‖ b.txt：乙'",
    )
    results = run(con, ref, "fct_indicator")
    check = assert_fails(results, "fct_indicator", "expect_column_values_to_be_in_set(has_conflicting_sources)", "WARN")
    assert check.failing_sample[0]["conflicting_statements"] == "a.txt：甲 ‖ b.txt：乙"


# -- injected faults: the cross-checks (dbt models int_*, dbt_project/models/intermediate/quality/)
def test_zone_larger_than_its_city_is_an_error(con, ref):
    set_mart(
        con,
        "fct_indicator",
        "zone_code = '140404-JK' and indicator_code = 'industrial_value_added' and basis = 'actual'",
        "value = 4582.0",
    )  # 万元 read as 亿元
    results = run(con, ref, "cross_checks")
    check = assert_fails(
        results,
        "cross_checks",
        "zone_within_city: expect_column_pair_values_a_to_be_greater_than_b(city_value, zone_value)",
        "ERROR",
    )
    sample = check.failing_sample[0]
    assert sample["zone"] == "上党经开区" and sample["zone_value"] == 4582.0 and sample["city_value"] == 168.52
    assert check.failing_count == 1 and sample["evidence"] and sample["city_evidence"]
    # the failing row names both facts, the zone's and its city total's, for the review queue
    keys = con.execute(
        "select correction_key from fct_indicator where period = ? and city_name = '长治市' and "
        "indicator_code = 'industrial_value_added' and basis = 'actual' and (zone_key is null or zone_code = '140404-JK')",
        [JUNE],
    ).fetchall()
    assert len(keys) == 2 and check.failing_keys == sorted(k for (k,) in keys)
    assert "1行未通过" in check.observed_zh and "开发区数值不超过所在市开发区合计" in check.rule_zh


def test_city_growth_contradicting_its_zones_is_a_warning(con, ref):
    set_mart(
        con,
        "fct_indicator",
        "city_name = '长治市' and zone_key is null and indicator_code = 'industrial_value_added' and basis = 'actual'",
        "yoy_pct = -5.3",
    )  # the zones imply about +4.3%
    results = run(con, ref, "cross_checks")
    check = assert_fails(results, "cross_checks", "city_growth: expect_column_values_to_be_in_set(sign_agrees)", "WARN")
    sample = check.failing_sample[0]
    assert sample["city"] == "长治市" and sample["stated_yoy_pct"] == -5.3 and sample["implied_yoy_pct"] > 0
    assert_fails(results, "cross_checks", "city_growth: expect_column_values_to_be_between(yoy_gap_pp)", "WARN")
    assert not errors(results)


def replace_city(
    con, rows: list[tuple], city_code: str = "140600", city: str = "朔州市", indicator: str = "tax_revenue"
) -> None:
    """The June rows of one city and indicator replaced by (zone_code or None, value, yoy_pct)."""
    con.execute(
        "delete from main.fct_indicator where period = ? and city_code = ? and indicator_code = ?",
        [JUNE, city_code, indicator],
    )
    for zone, value, yoy in rows:
        con.execute(
            "insert into main.fct_indicator by name select ? as indicator_fact_key, ? as period, 2023 as year, 6 as month, "
            "? as city_code, ? as city_name, ? as zone_key, ? as zone_code, ? as zone_name, ? as is_city_total, "
            "false as is_province, ? as indicator_code, 'actual' as basis, ? as value, '亿元' as unit, ? as yoy_pct, "
            "true as is_cumulative, ? as evidence",
            [
                f"k-{zone}",
                JUNE,
                city_code,
                city,
                zone,
                zone,
                zone,
                zone is None,
                indicator,
                value,
                yoy,
                f"{zone}: {value}",
            ],
        )


def city_growth_row(con, city_code: str = "140600", indicator: str = "tax_revenue"):
    return con.execute(
        "select zone_count, zones_value_sum, sum_tolerance, zones_sum_to_city, implied_yoy_pct, yoy_gap_pp, sign_agrees "
        "from main.int_city_zone_totals where period = ? and city_code = ? and indicator_code = ? and basis = 'actual'",
        [JUNE, city_code, indicator],
    ).fetchone()


def test_implied_growth_of_a_city_from_its_zones(con):
    # 110 grew 10% and 50 fell 20%: last year 100 + 62.5, this year 160
    replace_city(con, [(None, 160.0, -1.5), ("140600-JK", 110.0, 10.0), ("140603-JK", 50.0, -20.0)])
    zone_count, total, _, adds_up, implied, gap, sign = city_growth_row(con)
    expected = (160 / (100 + 62.5) - 1) * 100
    assert (zone_count, total, adds_up, sign) == (2, 160.0, True, True)
    assert implied == pytest.approx(round(expected, 4)) and gap == pytest.approx(round(-1.5 - expected, 4))


def test_small_growth_gap_with_opposite_sign_still_fails(con, ref):
    # A city of two zones: the gap is below 0.2 points but the signs disagree.
    gap_check = ("cross_checks", "city_growth: expect_column_values_to_be_between(yoy_gap_pp)")
    before = run(con, ref, "cross_checks")[gap_check].failing_count  # the sample month's own gaps
    replace_city(con, [(None, 100.0, 0.1), ("140600-JK", 50.0, -0.1), ("140603-JK", 50.0, 0.0)])
    results = run(con, ref, "cross_checks")
    assert results[gap_check].failing_count == before  # 0.1 - (-0.05) = 0.15 points: within 0.2
    check = assert_fails(results, "cross_checks", "city_growth: expect_column_values_to_be_in_set(sign_agrees)", "WARN")
    assert check.failing_sample[0]["city"] == "朔州市"


def test_city_growth_is_checked_only_where_the_zones_add_up_to_the_city(con, ref):
    tolerance = float(suites.dbt_vars()["zone_sum_tolerance"])
    replace_city(con, [(None, 100.0 + tolerance, -5.0), ("140600-JK", 50.0, 4.0), ("140603-JK", 50.0, 4.0)])
    assert city_growth_row(con)[2:4] == (tolerance, True)  # within the tolerance: compared (and contradicted)
    assert_fails(
        run(con, ref, "cross_checks"),
        "cross_checks",
        "city_growth: expect_column_values_to_be_in_set(sign_agrees)",
        "WARN",
    )
    replace_city(con, [(None, 100.0 + 2 * tolerance, -5.0), ("140600-JK", 50.0, 4.0), ("140603-JK", 50.0, 4.0)])
    assert city_growth_row(con)[3] is False  # not a sum of these zones: not compared
    assert run(con, ref, "cross_checks")[
        ("cross_checks", "city_growth: expect_column_values_to_be_in_set(sign_agrees)")
    ].success


def test_cumulative_value_below_last_month_is_a_warning(con, ref):
    key = set_mart(
        con,
        "fct_indicator",
        "zone_key is null and basis = 'actual' and is_cumulative and value is not null "
        "and previous_month_value is not null",
        "previous_month_value = value + 100",
    )
    value = con.execute("select value from main.fct_indicator where indicator_fact_key = ?", [key]).fetchone()[0]
    results = run(con, ref, "cross_checks")
    check = assert_fails(
        results,
        "cross_checks",
        "cumulative_progress: expect_column_pair_values_a_to_be_greater_than_b(value, previous_value)",
        "WARN",
    )
    assert check.failing_count == 1
    assert check.failing_sample[0]["previous_value"] == pytest.approx(value + 100)
    assert check.failing_sample[0]["previous_period"] == PREVIOUS


def test_document_without_facts_is_an_error(con, ref):
    con.execute(
        "insert into raw.documents by name select ? as period, ? as doc_id, 'yuncheng_2023-06.pdf' as file_name, "
        "100 as size_bytes, 'pdf' as encoding, '运城市' as report_city, '' as raw_text, '' as normalised_text, "
        "now() as filed_at, 'current' as status, '2023年1-6月' as stated_period",
        [JUNE, "0" * 64],
    )
    results = run(con, ref, "cross_checks")
    check = assert_fails(
        results, "cross_checks", "document_facts: expect_column_values_to_be_between(fact_count)", "ERROR"
    )
    assert check.failing_count == 1 and check.failing_sample[0]["file_name"] == "yuncheng_2023-06.pdf"
    assert "yuncheng_2023-06.pdf" in check.observed_value


def test_document_whose_facts_are_gone_is_an_error(con, ref):
    for table in ("indicator_facts", "pipeline_facts"):
        con.execute(f"delete from raw.{table} where period = ? and file_name = 'taiyuan_2023-06.txt'", [JUNE])
    results = run(con, ref, "cross_checks")
    check = assert_fails(
        results, "cross_checks", "document_facts: expect_column_values_to_be_between(fact_count)", "ERROR"
    )
    assert "taiyuan_2023-06.txt" in check.observed_value and check.failing_sample[0]["fact_count"] == 0


def test_document_that_states_no_period_is_a_warning(con, ref):
    con.execute(
        "update raw.documents set stated_period = null where period = ? and file_name = 'taiyuan_2023-06.txt'", [JUNE]
    )
    results = run(con, ref, "cross_checks")
    check = assert_fails(
        results, "cross_checks", "document_facts: expect_column_values_to_not_be_null(stated_period)", "WARN"
    )
    assert [row["file_name"] for row in check.failing_sample] == ["taiyuan_2023-06.txt"]
    assert not errors(results)


def test_city_missing_since_last_month_is_a_warning(con, ref):
    # 大同市 and 晋中市 filed in May (a copy of a May fact under their names), not in June
    doc_id, seq = first_fact(con, "indicator_facts", "true", period=PREVIOUS)
    for n, city in enumerate(("大同市", "晋中市"), start=1):
        con.execute(
            "insert into raw.indicator_facts select * replace (? as city, fact_seq + ? as fact_seq, "
            "null as zone, null as zone_code, null as zone_resolved) "
            "from raw.indicator_facts where period = ? and doc_id = ? and fact_seq = ?",
            [city, 1000 * n, PREVIOUS, doc_id, seq],
        )
    results = run(con, ref, "cross_checks")
    check = assert_fails(results, "cross_checks", "expected_city: expect_column_values_to_be_in_set(filed)", "WARN")
    assert check.failing_count == 2 and "大同市" in check.observed_value and "晋中市" in check.observed_value
    assert not errors(results)


# -- the results as marts (dbt, tag quality) -------------------------------------------------------
def test_results_go_to_raw_check_results_and_dbt_builds_the_quality_marts(home, ref):
    con = warehouse.connect(home / "warehouse.duckdb")
    try:
        validation = gate.validate_month(con, JUNE, ref)
        warehouse.store_check_results(con, JUNE, "run-1", validation.checks)
        stored = con.execute(
            "select count(*), count(*) filter (where not success) from raw.check_results where period = ?", [JUNE]
        ).fetchone()
    finally:
        con.close()
    assert stored == (len(validation.checks), len(validation.failed_errors) + len(validation.failed_warnings))
    dbt(home, "build", "--select", "tag:quality")
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    try:
        columns = [
            c
            for (c,) in con.execute(
                "select column_name from information_schema.columns where table_name = 'fct_quality_result' order by ordinal_position"
            ).fetchall()
        ]
        rows = {
            r[0]: r
            for r in con.execute(
                "select expectation_name, quality_result_key, status, failing_sample, failing_keys from fct_quality_result "
                "where period = ? and suite_name = 'cross_checks'",
                [JUNE],
            ).fetchall()
        }
        summary = con.execute(
            "select expectations, passed, errors, warnings, quality_status from rpt_quality_month where period = ?",
            [JUNE],
        ).fetchone()
    finally:
        con.close()
    assert columns == [
        "quality_result_key",
        "period",
        "run_id",
        "suite_name",
        "expectation_name",
        "rule",
        "rule_zh",
        "severity",
        "is_success",
        "status",
        "observed_value",
        "observed_zh",
        "failing_count",
        "failing_sample",
        "failing_keys",
        "open_findings",
        "acknowledged_findings",
    ]
    for c in (c for c in validation.checks if c.suite == "cross_checks"):
        _, key, status, failing, keys = rows[c.expectation]
        assert key == hashlib.md5(f"{JUNE}|cross_checks|{c.expectation}".encode()).hexdigest()
        assert keys == (",".join(c.failing_keys) or None)
        assert c.rule_zh and c.observed_zh.startswith("检查") and "rows" not in c.observed_zh
        assert status == ("passed" if c.success else "failed" if c.severity == "ERROR" else "warning")
        assert json.loads(failing) == json.loads(json.dumps(c.failing_sample, ensure_ascii=False, default=str))
    warned = len(validation.failed_warnings)
    assert summary == (
        len(validation.checks),
        len(validation.checks) - warned,
        0,
        warned,
        "有警告" if warned else "通过",
    )


def test_a_warehouse_from_before_keeps_its_results(tmp_path):
    """fct_quality_result used to be written by Python; its rows become raw.check_results once."""
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "create table main.fct_quality_result (quality_result_key varchar, period varchar, run_id varchar, "
        "suite_name varchar, expectation_name varchar, rule varchar, severity varchar, is_success boolean, "
        "status varchar, observed_value varchar, failing_count integer, failing_sample varchar)"
    )
    con.execute(
        "insert into main.fct_quality_result values ('k', '2022-03', 'r', 'fct_indicator', 'e', 'rule', 'WARN', "
        "false, 'warning', '1 of 2 rows fail', 1, '[]')"
    )
    con.close()
    for _ in range(2):  # once: later connections leave raw.check_results alone
        con = warehouse.connect(path)
        rows = con.execute(f"select {', '.join(raw_tables.CHECK_RESULTS.names)} from raw.check_results").fetchall()
        con.close()
        # the failing facts' keys and the Chinese texts were not recorded then
        assert rows == [
            ("2022-03", "r", "fct_indicator", "e", "rule", "WARN", False, "1 of 2 rows fail", 1, "[]", None, None, None)
        ]


# -- Data Docs ---------------------------------------------------------------------------------
def test_data_docs_are_static_html(con, ref, tmp_path):
    frames = read_month(con, JUNE, ref)
    validation = gate.run_month(JUNE, frames, ref, suites=["fct_project_pipeline", "cross_checks"])
    index = data_docs.build_data_docs(validation, tmp_path / "quality")
    assert index == tmp_path / "quality" / "index.html" and index.is_file()
    site = tmp_path / "quality" / "data_docs"
    pages = list((site / "validations").rglob("*.html"))
    assert {p.parts[-4] for p in pages} == {"fct_project_pipeline", "cross_checks"}
    text = next(p for p in pages if p.parts[-4] == "cross_checks").read_text(encoding="utf-8")
    assert JUNE in text and "named_zone" in text
    assert (site / "expectations" / "cross_checks.html").is_file()
    assert (site / "expectations" / "fct_indicator.html").is_file() is False  # only the suites given
    offline = index.read_text(encoding="utf-8")
    assert "<script" not in offline and "cross_checks" in offline and "named_zone" in offline

    # the next month renders only its own page; the first month's page is left as it was
    first_page = next(p for p in pages if p.parts[-4] == "cross_checks")
    rendered_at = first_page.stat().st_mtime_ns
    data_docs.build_data_docs(gate.run_month("2023-07", frames, ref, suites=["cross_checks"]), tmp_path / "quality")
    months = {p.parts[-3] for p in (site / "validations" / "cross_checks").rglob("*.html")}
    assert months == {JUNE, "2023-07"}
    assert first_page.stat().st_mtime_ns == rendered_at
    offline = index.read_text(encoding="utf-8")
    assert JUNE in offline and "2023-07" in offline


def test_importing_the_gate_does_not_import_great_expectations():
    code = (
        "import sys; import devzone.quality.gate, devzone.quality.data_docs, devzone.quality.__main__, "
        "orchestration.assets.quality; print('great_expectations' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "False", done.stderr[-2000:]
