"""The quality gate's rules (orchestration/quality.py, expectations/*.json).

Clean frames come from the sample reports through the extractor: the raw frames as
`warehouse.load_facts` writes them, and the two fact marts rebuilt in pandas with the columns
the dbt models give them (enough for the rules; the real marts of the samples are checked by the
pipeline's own run in tests/test_pipeline.py). Each kind of bad data is then injected into a copy
and the expectation that must catch it is asserted to fail with its severity; the suites it does
not concern are not run, to keep the file fast.
"""
from __future__ import annotations

import hashlib
import json
import math

import pandas as pd
import pytest

from conftest import ROOT
from orchestration import quality as q
from orchestration import warehouse as w
from orchestration.extraction import extract_document, read_document
from orchestration.extraction.period import stated_period

SAMPLES = ROOT / "samples" / "reports"
RAW_TAIL = w.CONFIDENCE_COLUMNS + w.PROVENANCE_COLUMNS
RAW_INDICATOR = [*w.FACT_HEAD_COLUMNS, *w.INDICATOR_COLUMNS, *RAW_TAIL]  # as warehouse.load_facts writes them
RAW_PIPELINE = [*w.FACT_HEAD_COLUMNS, *w.PIPELINE_COLUMNS, *RAW_TAIL]
MEASURES = ["projects", "investment", "advanced_projects", "advanced_investment", "completed_investment",
            "industrial_projects", "industrial_investment", "expected_annual_output"]


# -- clean frames ------------------------------------------------------------------------------
def raw_frames(period: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """raw.indicator_facts, raw.pipeline_facts and the documents of a sample month."""
    indicators, pipelines, documents = [], [], []
    for path in sorted((SAMPLES / period).iterdir()):
        document = read_document(path)
        facts = extract_document(document, period).facts
        stated = stated_period(document.text)
        documents.append({"doc_id": facts[0]["doc_id"], "file_name": path.name, "fact_count": len(facts),
                          "stated_period": stated.words if stated else None})
        for seq, f in enumerate(facts):
            row = {"period": period, "doc_id": f["doc_id"], "fact_seq": seq, "file_name": path.name, **f,
                   "review_reasons": ",".join(f["review_reasons"]) or None,
                   "evidence_start": f["evidence_span"][0], "evidence_end": f["evidence_span"][1],
                   "value_start": f["value_span"][0], "value_end": f["value_span"][1]}
            (indicators if f["type"] == "indicator" else pipelines).append(row)
    ind = pd.DataFrame(indicators).reindex(columns=RAW_INDICATOR)
    pipe = pd.DataFrame(pipelines).reindex(columns=RAW_PIPELINE)
    for frame in (ind, pipe):
        frame["zone_resolved"] = frame["zone_resolved"].astype("boolean")
    return ind, pipe, pd.DataFrame(documents)


def key_hash(*parts) -> str:
    return hashlib.md5("|".join("" if p is None else str(p) for p in parts).encode()).hexdigest()


def fct_indicator_frame(ind: pd.DataFrame, ref: q.ReferenceData) -> pd.DataFrame:
    """fct_indicator's columns, derived from the raw facts as the dbt models do (one source each)."""
    code_of = {name: code for code, name in ref.cities.items()}
    rows: dict[tuple, dict] = {}
    for r in ind.to_dict("records"):
        city_code = code_of.get(r["city"])
        zone = r["zone"] if isinstance(r["zone"], str) else None
        zone_code = r["zone_code"] if isinstance(r["zone_code"], str) else None
        zone_key = None if zone is None else (zone_code or f"UNRESOLVED:{zone}")
        key = (r["period"], city_code, zone_key, r["metric"], r["basis"])
        if key in rows:
            continue
        value, yoy = r["value"], r["yoy_pct"]
        year, month = int(r["period"][:4]), int(r["period"][5:])
        rows[key] = {
            "indicator_fact_key": key_hash(*key), "period": r["period"], "year": year, "month": month,
            "city_code": city_code, "city_name": r["city"], "zone_key": zone_key, "zone_code": zone_code,
            "zone_name": zone, "area_level": "zone" if zone else ("city" if city_code else "province"),
            "is_city_total": zone_key is None, "is_province": city_code is None and zone_key is None,
            "indicator_code": r["metric"], "basis": r["basis"], "value": value, "unit": r["unit"], "yoy_pct": yoy,
            "prior_year_value": value / (1 + yoy / 100) if pd.notna(value) and pd.notna(yoy) and yoy != -100 else None,
            "is_cumulative": ref.is_cumulative(r["metric"]),
            "previous_period": f"{year}-{month - 1:02d}" if month > 1 else None,
            "previous_month_value": None, "single_month_value": None, "share_of_city_pct": None, "city_zone_rank": None,
            "document_id": r["doc_id"], "fact_id": f"{r['doc_id']}:{r['fact_seq']}", "evidence": r["evidence"],
            "source_count": 1, "statement_count": 1, "has_conflicting_sources": False, "conflicting_statements": None,
        }
    return pd.DataFrame(list(rows.values()))


def fct_pipeline_frame(pipe: pd.DataFrame, ref: q.ReferenceData) -> pd.DataFrame:
    """fct_project_pipeline's columns: one row per (period, city, zone, scope, stage), measures pivoted."""
    code_of = {name: code for code, name in ref.cities.items()}
    rows: dict[tuple, dict] = {}
    for r in pipe.to_dict("records"):
        city_code = code_of.get(r["city"])
        zone = r["zone"] if isinstance(r["zone"], str) else None
        zone_key = None if zone is None else (r["zone_code"] if isinstance(r["zone_code"], str) else f"UNRESOLVED:{zone}")
        key = (r["period"], city_code, zone_key, r["scope"], r["stage"])
        row = rows.setdefault(key, {
            "pipeline_fact_key": key_hash(*key), "period": r["period"], "year": int(r["period"][:4]),
            "month": int(r["period"][5:]), "city_code": city_code, "city_name": r["city"], "zone_key": zone_key,
            "zone_name": zone, "is_city_total": zone_key is None, "is_province": city_code is None and zone_key is None,
            "scope": r["scope"], "stage": r["stage"], **{m: None for m in MEASURES}, "reported_rate_pct": None,
            "document_id": r["doc_id"], "fact_ids": [], "evidence": r["evidence"], "measure_count": 0, "source_count": 1,
            "has_conflicting_sources": False, "conflicting_statements": None,
        })
        row["reported_rate_pct" if r["measure"] == "rate_pct" else r["measure"]] = r["value"]
        row["fact_ids"].append(f"{r['doc_id']}:{r['fact_seq']}")
        row["measure_count"] += 1
    out = pd.DataFrame(list(rows.values()))
    out["fact_ids"] = out["fact_ids"].map(",".join)
    use_industrial = (out["stage"] == "in_production") & out["industrial_investment"].notna()
    out["rate_base"] = ["industrial_investment" if u else "investment" for u in use_industrial]
    base = out["industrial_investment"].where(use_industrial, out["investment"]).astype(float)
    out["computed_rate_pct"] = (out["advanced_investment"].astype(float) / base * 100).round(6)
    out["rate_gap_pp"] = (out["reported_rate_pct"].astype(float) - out["computed_rate_pct"]).round(6)
    return out


def previous_month_frame(fct: pd.DataFrame, period: str, ref: q.ReferenceData) -> pd.DataFrame:
    """The month before, with every cumulative actual value 20% lower (a plausible running total)."""
    previous = fct.copy()
    previous["period"] = q.previous_period(period)
    previous["month"] = previous["month"] - 1
    cumulative = (previous["basis"] == "actual") & previous["indicator_code"].map(ref.is_cumulative)
    previous.loc[cumulative, "value"] = previous.loc[cumulative, "value"] * 0.8
    return previous


@pytest.fixture(scope="module")
def ref() -> q.ReferenceData:
    return q.load_reference_data()


def sample_month(period: str, ref: q.ReferenceData) -> q.MonthFrames:
    ind, pipe, documents = raw_frames(period)
    fct = fct_indicator_frame(ind, ref)
    cities = set(ind["city"].dropna()) | set(pipe["city"].dropna())
    return q.MonthFrames(
        indicator_facts=ind, pipeline_facts=pipe, documents=documents, fct_indicator=fct,
        fct_indicator_previous=previous_month_frame(fct, period, ref),
        fct_project_pipeline=fct_pipeline_frame(pipe, ref), previous_month_cities=cities,
    )


@pytest.fixture(scope="module")
def june(ref) -> q.MonthFrames:
    return sample_month("2023-06", ref)


def copy_frames(frames: q.MonthFrames) -> q.MonthFrames:
    return q.MonthFrames(
        indicator_facts=frames.indicator_facts.copy(), pipeline_facts=frames.pipeline_facts.copy(),
        documents=frames.documents.copy(), fct_indicator=frames.fct_indicator.copy(),
        fct_indicator_previous=frames.fct_indicator_previous.copy(),
        fct_project_pipeline=frames.fct_project_pipeline.copy(),
        previous_month_cities=set(frames.previous_month_cities),
    )


def run(frames: q.MonthFrames, ref, *suites: str, period: str = "2023-06") -> dict[tuple[str, str], q.CheckResult]:
    checks = q.run_month(period, frames, ref, suites=suites or q.SUITE_NAMES).checks
    return {(c.suite, c.expectation): c for c in checks}


def assert_fails(results, suite: str, expectation: str, severity: str) -> q.CheckResult:
    check = results[(suite, expectation)]
    assert not check.success, f"{suite}: {expectation} passed: {check.observed_value}"
    assert check.severity == severity
    assert check.failing_count >= 1 and check.failing_sample, check
    return check


def errors(results) -> list[str]:
    return [f"{c.suite}: {c.expectation} — {c.observed_value}" for c in results.values()
            if not c.success and c.severity == "ERROR"]


# -- the suites --------------------------------------------------------------------------------
def test_suites_are_gx_suite_json_with_severity_and_rule(ref):
    from great_expectations.core.expectation_suite import ExpectationSuite

    parameters = ref.expectation_parameters("2023-06")
    for name in q.SUITE_NAMES:
        data = json.loads((q.EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))
        suite = ExpectationSuite(**data)  # GX's own class reads the file as it is
        assert suite.name == name and len(suite.expectations) == len(data["expectations"])
        for e in data["expectations"]:
            assert e["meta"]["severity"] in ("error", "warn") and len(e["meta"]["rule"]) > 20
            for value in e["kwargs"].values():
                if isinstance(value, dict) and "$PARAMETER" in value:
                    assert value["$PARAMETER"] in parameters
        built = q.build_suite(data)
        ids = [e.meta["expectation"] for e in built.expectations]
        assert len(set(ids)) == len(ids)
        assert {e.severity.value for e in built.expectations} <= {"critical", "warning"}


def test_reference_parameters(ref):
    p = ref.expectation_parameters("2023-06")
    pairs = {tuple(x) for x in p["indicator_unit_pairs"]}
    assert ("industrial_value_added", "亿元") in pairs and ("industrial_value_added", "万元") not in pairs
    assert ("foreign_investment_used", "亿美元") in pairs and ("foreign_investment_used", "亿元") not in pairs
    assert {("filed_projects", u) for u in q.COUNT_UNITS} <= pairs and ("forest_coverage", "%") in pairs
    assert ["140600-JK", "朔州市"] in p["zone_code_city_name_pairs"] and len(p["city_names"]) == 11
    narrowed = ref.expectation_parameters("2023-06", zone_codes={"140600-JK", "999999-XX"}, indicator_codes={"tax_revenue"})
    assert narrowed["zone_codes"] == ["140600-JK"] and narrowed["indicator_unit_pairs"] == [["tax_revenue", "亿元"]]


def test_implied_growth():
    # 100 grew 10% and 50 fell 20%: last year 90.909 + 62.5, this year 150
    assert q.implied_growth_pct([110, 50], [10, -20]) == pytest.approx((160 / (100 + 62.5) - 1) * 100)


# -- clean months --------------------------------------------------------------------------------
def test_clean_month_has_no_error(june, ref):
    checks = q.validate_month("2023-06", june, ref)
    results = {(c.suite, c.expectation): c for c in checks}
    assert not errors(results)
    assert {c.suite for c in checks} == set(q.SUITE_NAMES) and len(checks) > 60
    assert all(c.severity in ("ERROR", "WARN") and c.rule for c in checks)
    # The derived checks had rows to check.
    assert results[("cross_checks", "cumulative_progress: expect_column_pair_values_a_to_be_greater_than_b(value, previous_value)")].success
    assert "0 of" not in results[("cross_checks", "zone_within_city: expect_column_pair_values_a_to_be_greater_than_b(city_value, zone_value)")].observed_value


def test_zone_unknown_to_the_reference_is_a_warning_and_its_facts_are_flagged_for_review(june, ref):
    # A zone the reference does not know (found by its suffix, its city only assumed).
    frames = copy_frames(june)
    bad = frames.indicator_facts
    row = bad.index[bad["zone"].notna()][0]
    bad.loc[row, ["zone", "zone_code", "zone_resolved", "confidence", "review_reasons"]] = [
        "龙泉新材料产业园区", None, False, "review", "zone_not_in_reference"]
    results = run(frames, ref)
    unresolved = results[("cross_checks", "named_zone: expect_column_values_to_be_in_set(city_resolved)")]
    assert not unresolved.success and unresolved.severity == "WARN" and "龙泉新材料产业园区" in unresolved.observed_value
    review = results[("extracted_indicator_facts", "expect_column_values_to_be_in_set(confidence) [warn]")]
    assert not review.success and review.severity == "WARN" and review.failing_count == 1
    assert review.failing_sample[0]["review_reasons"] == "zone_not_in_reference"


def test_clean_bulletin_month_with_province_rows_has_no_error(ref):
    frames = sample_month("2023-09", ref)
    assert frames.fct_indicator["is_province"].any()  # province-wide rows (city null) are checked too
    assert not errors(run(frames, ref, period="2023-09"))


# -- injected faults -----------------------------------------------------------------------------
def test_negative_investment_is_an_error(june, ref):
    frames = copy_frames(june)
    raw = frames.pipeline_facts
    raw.loc[raw.index[raw["measure"] == "investment"][0], "value"] = -128.6
    fct = frames.fct_project_pipeline
    fct.loc[fct.index[0], "investment"] = -fct.loc[fct.index[0], "investment"]
    results = run(frames, ref, "extracted_pipeline_facts", "fct_project_pipeline")
    check = assert_fails(results, "extracted_pipeline_facts", "expect_column_values_to_be_between(value)", "ERROR")
    assert check.failing_count == 1 and check.failing_sample[0]["value"] == -128.6 and check.failing_sample[0]["evidence"]
    assert_fails(results, "fct_project_pipeline", "expect_column_values_to_be_between(investment)", "ERROR")


def test_duplicated_facts_are_errors(june, ref):
    frames = copy_frames(june)
    frames.fct_indicator = pd.concat([frames.fct_indicator, frames.fct_indicator.iloc[[0]]], ignore_index=True)
    frames.fct_project_pipeline = pd.concat([frames.fct_project_pipeline, frames.fct_project_pipeline.iloc[[3]]], ignore_index=True)
    results = run(frames, ref, "fct_indicator", "fct_project_pipeline")
    check = assert_fails(results, "fct_indicator",
                         "expect_compound_columns_to_be_unique(period, city_code, zone_key, indicator_code, basis)", "ERROR")
    assert check.failing_count == 2
    assert_fails(results, "fct_project_pipeline",
                 "expect_compound_columns_to_be_unique(period, city_code, zone_key, scope, stage)", "ERROR")


def test_rate_two_points_off_is_a_warning_with_both_numbers(june, ref):
    frames = copy_frames(june)
    fct = frames.fct_project_pipeline
    row = fct.index[fct["reported_rate_pct"].notna()][0]
    reported = round(fct.at[row, "reported_rate_pct"] + 2, 2)
    fct.at[row, "reported_rate_pct"] = reported
    results = run(frames, ref, "fct_project_pipeline")
    check = assert_fails(results, "fct_project_pipeline", "expect_column_values_to_be_between(recomputed_rate_gap_pp)", "WARN")
    sample = check.failing_sample[0]
    assert sample["reported_rate_pct"] == reported
    assert sample["recomputed_rate_pct"] == pytest.approx(reported - 2, abs=0.01)
    assert not errors(results)


def test_rates_rounded_or_truncated_are_accepted(june, ref):
    frames = copy_frames(june)
    fct = frames.fct_project_pipeline
    rows = fct.index[fct["reported_rate_pct"].notna()]
    exact = fct.loc[rows, "advanced_investment"] / fct.loc[rows, "investment"].where(
        fct.loc[rows, "stage"] != "in_production", fct.loc[rows, "industrial_investment"].fillna(fct.loc[rows, "investment"])) * 100
    for how in (lambda x: round(x, 2), lambda x: math.floor(x * 100) / 100):
        fct.loc[rows, "reported_rate_pct"] = [how(x) for x in exact]
        assert run(frames, ref, "fct_project_pipeline")[
            ("fct_project_pipeline", "expect_column_values_to_be_between(recomputed_rate_gap_pp)")].success


def test_advanced_projects_above_projects_is_an_error(june, ref):
    frames = copy_frames(june)
    fct = frames.fct_project_pipeline
    row = fct.index[fct["advanced_projects"].notna()][0]
    fct.at[row, "advanced_projects"] = fct.at[row, "projects"] + 5
    results = run(frames, ref, "fct_project_pipeline")
    assert_fails(results, "fct_project_pipeline",
                 "expect_column_pair_values_a_to_be_greater_than_b(projects, advanced_projects)", "ERROR")


def test_zone_larger_than_its_city_is_an_error(june, ref):
    frames = copy_frames(june)
    fct = frames.fct_indicator
    zone = fct.index[(fct["zone_code"] == "140404-JK") & (fct["indicator_code"] == "industrial_value_added")][0]
    fct.at[zone, "value"] = 4582.0  # 万元 read as 亿元
    results = run(frames, ref, "cross_checks")
    check = assert_fails(results, "cross_checks",
                         "zone_within_city: expect_column_pair_values_a_to_be_greater_than_b(city_value, zone_value)", "ERROR")
    sample = check.failing_sample[0]
    assert sample["zone"] == "上党经开区" and sample["zone_value"] == 4582.0 and sample["city_value"] == 168.52
    assert check.failing_count == 1


def test_city_growth_contradicting_its_zones_is_a_warning(june, ref):
    frames = copy_frames(june)
    fct = frames.fct_indicator
    city = fct.index[(fct["city_name"] == "长治市") & fct["zone_key"].isna() & (fct["indicator_code"] == "industrial_value_added")
                     & (fct["basis"] == "actual")][0]
    fct.at[city, "yoy_pct"] = -5.3  # the zones imply about +4.3%
    results = run(frames, ref, "cross_checks")
    check = assert_fails(results, "cross_checks", "city_growth: expect_column_values_to_be_in_set(sign_agrees)", "WARN")
    sample = check.failing_sample[0]
    assert sample["city"] == "长治市" and sample["stated_yoy_pct"] == -5.3 and sample["implied_yoy_pct"] > 0
    assert_fails(results, "cross_checks", "city_growth: expect_column_values_to_be_between(yoy_gap_pp)", "WARN")
    assert not errors(results)


def test_small_growth_gap_with_opposite_sign_still_fails(ref):
    # A city of two zones: the gap is below 0.2 points but the signs disagree.
    def row(zone, value, yoy):
        return {"indicator_fact_key": zone or "city", "period": "2023-06", "year": 2023, "month": 6, "city_code": "140600",
                "city_name": "朔州市", "zone_key": zone, "zone_code": zone, "zone_name": zone, "is_city_total": zone is None,
                "is_province": False, "indicator_code": "tax_revenue", "basis": "actual", "value": value, "unit": "亿元",
                "yoy_pct": yoy, "evidence": f"{zone}: {value}"}
    fct = pd.DataFrame([row(None, 100.0, 0.1), row("140600-JK", 50.0, -0.1), row("140603-JK", 50.0, 0.0)])
    results = run(q.MonthFrames(fct_indicator=fct), ref, "cross_checks")
    gap = results[("cross_checks", "city_growth: expect_column_values_to_be_between(yoy_gap_pp)")]
    assert gap.success  # 0.1 - (-0.05) = 0.15 points
    assert_fails(results, "cross_checks", "city_growth: expect_column_values_to_be_in_set(sign_agrees)", "WARN")


def test_cumulative_value_below_last_month_is_a_warning(june, ref):
    frames = copy_frames(june)
    previous = frames.fct_indicator_previous
    row = previous.index[(previous["indicator_code"] == "operating_revenue") & previous["zone_key"].isna()][0]
    previous.at[row, "value"] = 1300.0  # above June's 1206.66
    results = run(frames, ref, "cross_checks")
    check = assert_fails(results, "cross_checks",
                         "cumulative_progress: expect_column_pair_values_a_to_be_greater_than_b(value, previous_value)", "WARN")
    assert check.failing_sample[0]["previous_value"] == 1300.0 and check.failing_sample[0]["previous_period"] == "2023-05"


def test_unknown_city_is_an_error(june, ref):
    frames = copy_frames(june)
    frames.indicator_facts.loc[0, "city"] = "北京市"
    frames.fct_indicator.loc[0, "city_name"] = "北京市"
    results = run(frames, ref, "extracted_indicator_facts", "fct_indicator")
    check = assert_fails(results, "extracted_indicator_facts", "expect_column_values_to_be_in_set(city)", "ERROR")
    assert check.failing_sample[0]["city"] == "北京市" and "北京市" in check.observed_value
    assert_fails(results, "fct_indicator", "expect_column_values_to_be_in_set(city_name)", "ERROR")


def test_wrong_unit_for_an_indicator_is_an_error(june, ref):
    frames = copy_frames(june)
    raw = frames.indicator_facts
    row = raw.index[raw["metric"] == "industrial_value_added"][0]
    raw.at[row, "unit"] = "万元"
    fct = frames.fct_indicator
    fct.at[fct.index[fct["indicator_code"] == "standard_land_parcels"][0], "unit"] = "亩"
    results = run(frames, ref, "extracted_indicator_facts", "fct_indicator")
    check = assert_fails(results, "extracted_indicator_facts", "expect_column_pair_values_to_be_in_set(metric, unit)", "ERROR")
    assert check.failing_count == 1 and check.failing_sample[0]["unit"] == "万元"
    assert_fails(results, "fct_indicator", "expect_column_pair_values_to_be_in_set(indicator_code, unit)", "ERROR")


def test_period_other_than_the_partition_is_an_error(june, ref):
    frames = copy_frames(june)
    frames.indicator_facts.loc[3, "period"] = "2023-05"
    frames.pipeline_facts["period"] = "2023-07"
    frames.fct_indicator.loc[0, "period"] = "2023-05"
    results = run(frames, ref, "extracted_indicator_facts", "extracted_pipeline_facts", "fct_indicator")
    check = assert_fails(results, "extracted_indicator_facts", "expect_column_values_to_be_in_set(period)", "ERROR")
    assert check.failing_count == 1
    assert results[("extracted_pipeline_facts", "expect_column_values_to_be_in_set(period)")].failing_count == len(frames.pipeline_facts)
    assert_fails(results, "fct_indicator", "expect_column_values_to_be_in_set(period)", "ERROR")


def test_document_without_facts_is_an_error(june, ref):
    frames = copy_frames(june)
    frames.documents = pd.concat([frames.documents, pd.DataFrame(
        [{"doc_id": "0" * 64, "file_name": "yuncheng_2023-06.pdf", "fact_count": 0}])], ignore_index=True)
    results = run(frames, ref, "cross_checks")
    check = assert_fails(results, "cross_checks", "document_facts: expect_column_values_to_be_between(fact_count)", "ERROR")
    assert check.failing_count == 1 and check.failing_sample[0]["file_name"] == "yuncheng_2023-06.pdf"
    assert "yuncheng_2023-06.pdf" in check.observed_value


def test_document_that_states_no_period_is_a_warning(june, ref):
    frames = copy_frames(june)
    frames.documents.loc[frames.documents["file_name"] == "taiyuan_2023-06.txt", "stated_period"] = None
    results = run(frames, ref, "cross_checks")
    check = assert_fails(results, "cross_checks", "document_facts: expect_column_values_to_not_be_null(stated_period)", "WARN")
    assert [row["file_name"] for row in check.failing_sample] == ["taiyuan_2023-06.txt"]
    assert not errors(results)


def test_fact_counts_are_computed_when_documents_lack_them(june, ref):
    frames = copy_frames(june)
    frames.documents = frames.documents[["doc_id", "file_name"]]
    frames.indicator_facts = frames.indicator_facts[frames.indicator_facts["file_name"] != "taiyuan_2023-06.txt"]
    frames.pipeline_facts = frames.pipeline_facts[frames.pipeline_facts["file_name"] != "taiyuan_2023-06.txt"]
    results = run(frames, ref, "cross_checks")
    check = assert_fails(results, "cross_checks", "document_facts: expect_column_values_to_be_between(fact_count)", "ERROR")
    assert "taiyuan_2023-06.txt" in check.observed_value


def test_city_missing_since_last_month_is_a_warning(june, ref):
    frames = copy_frames(june)
    frames.previous_month_cities |= {"大同市", "晋中市"}
    results = run(frames, ref, "cross_checks")
    check = assert_fails(results, "cross_checks", "expected_city: expect_column_values_to_be_in_set(filed)", "WARN")
    assert check.failing_count == 2 and "大同市" in check.observed_value and "晋中市" in check.observed_value
    assert not errors(results)


def test_non_integer_project_count_is_an_error(june, ref):
    frames = copy_frames(june)
    raw = frames.pipeline_facts
    raw.at[raw.index[raw["measure"] == "projects"][0], "value"] = 57.5
    fct = frames.fct_project_pipeline
    fct.at[fct.index[0], "projects"] = fct.at[fct.index[0], "projects"] + 0.4
    frames.indicator_facts.at[frames.indicator_facts.index[frames.indicator_facts["unit"] == "个"][0], "value"] = 33.3
    results = run(frames, ref, "extracted_pipeline_facts", "fct_project_pipeline", "extracted_indicator_facts")
    check = assert_fails(results, "extracted_pipeline_facts", "expect_column_values_to_be_between(count_fractional_part)", "ERROR")
    assert check.failing_sample[0]["value"] == 57.5 and check.failing_sample[0]["measure"] == "projects"
    assert_fails(results, "fct_project_pipeline", "expect_column_values_to_be_between(count_fractional_part)", "ERROR")
    assert_fails(results, "extracted_indicator_facts", "expect_column_values_to_be_between(count_fractional_part)", "ERROR")


def test_implausible_growths(june, ref):
    frames = copy_frames(june)
    raw = frames.indicator_facts
    raw.loc[0, "yoy_pct"] = -120.0
    raw.loc[1, "yoy_pct"] = 350.0
    results = run(frames, ref, "extracted_indicator_facts")
    error = assert_fails(results, "extracted_indicator_facts", "expect_column_values_to_be_between(yoy_pct) [error]", "ERROR")
    assert error.failing_count == 1 and error.failing_sample[0]["yoy_pct"] == -120.0
    warn = assert_fails(results, "extracted_indicator_facts", "expect_column_values_to_be_between(yoy_pct) [warn]", "WARN")
    assert warn.failing_count == 1 and warn.failing_sample[0]["yoy_pct"] == 350.0


def test_zone_under_another_city_is_an_error(june, ref):
    frames = copy_frames(june)
    raw = frames.indicator_facts
    raw.at[raw.index[raw["zone_code"] == "140404-JK"][0], "city"] = "太原市"
    results = run(frames, ref, "extracted_indicator_facts")
    assert_fails(results, "extracted_indicator_facts", "expect_column_pair_values_to_be_in_set(zone_code, city)", "ERROR")


def test_missing_column_is_an_error(june, ref):
    frames = copy_frames(june)
    frames.fct_indicator = frames.fct_indicator.drop(columns=["unit"])
    results = run(frames, ref, "fct_indicator")
    check = assert_fails(results, "fct_indicator", "expect_table_columns_to_match_set", "ERROR")
    assert check.observed_value == "missing columns: unit"
    unit = results[("fct_indicator", "expect_column_pair_values_to_be_in_set(indicator_code, unit)")]
    assert not unit.success and unit.observed_value.startswith("could not be evaluated")


# -- Data Docs ---------------------------------------------------------------------------------
def test_data_docs_are_static_html(june, ref, tmp_path):
    validation = q.run_month("2023-06", june, ref, suites=["fct_project_pipeline", "cross_checks"])
    index = q.build_data_docs(validation, tmp_path / "quality")
    assert index == tmp_path / "quality" / "index.html" and index.is_file()
    site = tmp_path / "quality" / "data_docs"
    pages = list((site / "validations").rglob("*.html"))
    assert {p.parts[-4] for p in pages} == {"fct_project_pipeline", "cross_checks"}
    text = next(p for p in pages if p.parts[-4] == "cross_checks").read_text(encoding="utf-8")
    assert "2023-06" in text and "named_zone" in text
    assert (site / "expectations" / "fct_indicator.html").is_file() is False  # only the suites given
    offline = index.read_text(encoding="utf-8")
    assert "<script" not in offline and "cross_checks" in offline and "named_zone" in offline

    # the next month renders only its own page; the first month's page is left as it was
    first_page = next(p for p in pages if p.parts[-4] == "cross_checks")
    rendered_at = first_page.stat().st_mtime_ns
    q.build_data_docs(q.run_month("2023-07", june, ref, suites=["cross_checks"]), tmp_path / "quality")
    months = {p.parts[-3] for p in (site / "validations" / "cross_checks").rglob("*.html")}
    assert months == {"2023-06", "2023-07"}
    assert first_page.stat().st_mtime_ns == rendered_at
    offline = index.read_text(encoding="utf-8")
    assert "2023-06" in offline and "2023-07" in offline
