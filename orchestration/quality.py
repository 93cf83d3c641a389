"""The monthly quality gate's core: Great Expectations 1.x suites over pandas frames of one month.

Pure functions, no Dagster: the Dagster asset checks call `validate_month` (or `run_month`, which
also returns GX's own results for `build_data_docs`).

- The suites are versioned as GX suite JSON under `expectations/`, one file per suite, and loaded
  with GX's `ExpectationSuite` class. Every expectation carries
  `meta: {"severity": "error"|"warn", "rule": "<what it checks and why>"}`; the loader mirrors the
  severity into GX's own `severity` field (critical / warning) and the rule into `notes`, so that
  Data Docs show both.
- Values that depend on the reference (city names and codes, zone codes, indicator codes and
  units) or on the month (the partition's period) are GX suite parameters, `{"$PARAMETER": name}`
  in the JSON, filled at validation time with `expectation_parameters=` from
  `ReferenceData.expectation_parameters(period, ...)`. The suites stay month-independent and are
  built once per process.
- A few columns are computed in pandas before validation (a value's fractional part, the rate's
  base investment and the rate recomputed from the stated numbers, ...), and the cross-checks run
  over one long frame of derived rows (`cross_check_frame`) whose `check` column names the derived
  frame a row belongs to; each cross-check expectation keeps to its rows with a `row_condition`.
- GX is imported lazily (importing it takes seconds), one ephemeral context and one batch
  definition per suite are reused for every month, and GX's progress bars and logging are off.
  Each suite runs in two passes: every expectation with result_format BOOLEAN_ONLY, then only the
  failed ones again with COMPLETE for their failing rows (GX's cost is per expectation and per
  detail metric; a month validates in about 1-2 s once GX is imported).
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import logging
import math
import os
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS_DIR = ROOT / "expectations"
SEEDS_DIR = ROOT / "dbt_project" / "seeds"

SUITE_NAMES = (
    "extracted_indicator_facts",
    "extracted_pipeline_facts",
    "fct_indicator",
    "fct_project_pipeline",
    "cross_checks",
)
COUNT_UNITS = ("个", "家", "项", "宗", "件")
PIPELINE_COUNT_MEASURES = ("projects", "advanced_projects", "industrial_projects")
SEVERITIES = {"error": "ERROR", "warn": "WARN"}
GX_SEVERITIES = {"error": "critical", "warn": "warning"}
RESULT_FORMAT = {"result_format": "COMPLETE", "partial_unexpected_count": 5}
SAMPLE_SIZE = 5
# Columns a person needs to find a row, in the order shown, when an expectation names none.
IDENTITY_COLUMNS = (
    "check", "file_name", "period", "city", "city_name", "zone", "zone_name", "zone_key", "metric",
    "indicator_code", "basis", "scope", "stage", "measure",
)
# Tolerances of the cross-checks (the suites hold the thresholds of the checks themselves).
SUM_TOLERANCE = 0.01  # a city's total "equals" the sum of its zones within this
CROSS_COLUMNS = (
    "check", "period", "city", "zone", "zone_key", "zone_code", "indicator_code", "basis", "unit",
    "doc_id", "file_name", "fact_count", "stated_period",
    "zone_value", "city_value",
    "zones_value_sum", "zone_count", "stated_yoy_pct", "implied_yoy_pct", "yoy_gap_pp", "sign_agrees",
    "value", "previous_period", "previous_value",
    "filed",
    "zone_resolved", "city_resolved", "in_reference",
    "evidence", "city_evidence",
)
NUMERIC_CROSS_COLUMNS = (
    "fact_count", "zone_value", "city_value", "zones_value_sum", "zone_count", "stated_yoy_pct", "implied_yoy_pct",
    "yoy_gap_pp", "value", "previous_value",
)


# -- reference ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorRef:
    unit: str
    cumulative: bool


@dataclass(frozen=True)
class ReferenceData:
    """The seeds the rules check against."""

    cities: dict[str, str]  # city_code -> city_name
    zones: dict[str, tuple[str, str]]  # zone_code -> (zone_name, city_code)
    indicators: dict[str, IndicatorRef]  # indicator_code -> unit, cumulative

    @property
    def city_names(self) -> list[str]:
        return sorted(self.cities.values())

    def allowed_units(self, indicator_code: str) -> list[str]:
        """The seed's unit; any count unit for an indicator counted in one."""
        unit = self.indicators[indicator_code].unit
        return list(COUNT_UNITS) if unit in COUNT_UNITS else [unit]

    def is_cumulative(self, indicator_code: str) -> bool:
        indicator = self.indicators.get(indicator_code)
        return bool(indicator and indicator.cumulative)

    def expectation_parameters(
        self, period: str, zone_codes: Iterable[str] | None = None, indicator_codes: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """The values of the suites' `$PARAMETER`s for one month.

        `zone_codes` / `indicator_codes`, when given (the codes present in the month's frames),
        narrow the zone and indicator lists to the seed's entries for those codes. The checks'
        outcome is the same (a code missing from the seed is missing from the narrowed list too),
        GX validates faster with short lists, and Data Docs show the month's codes only.
        """
        zones = sorted(self.zones) if zone_codes is None else sorted(set(zone_codes) & set(self.zones))
        indicators = (
            sorted(self.indicators) if indicator_codes is None else sorted(set(indicator_codes) & set(self.indicators))
        )
        return {
            "partition_periods": [period],
            "city_codes": sorted(self.cities),
            "city_names": self.city_names,
            "zone_codes": zones,
            "zone_code_city_code_pairs": [[code, self.zones[code][1]] for code in zones],
            "zone_code_city_name_pairs": [
                [code, self.cities[self.zones[code][1]]] for code in zones if self.zones[code][1] in self.cities
            ],
            "indicator_codes": indicators,
            "indicator_unit_pairs": [[code, unit] for code in indicators for unit in self.allowed_units(code)],
        }


def load_reference_data(seeds_dir: str | Path = SEEDS_DIR) -> ReferenceData:
    """Cities, zones and indicators from the dbt seeds (cities.csv, zones.csv, indicators.csv)."""
    seeds_dir = Path(seeds_dir)

    def rows(name: str) -> list[dict[str, str]]:
        with open(seeds_dir / name, encoding="utf-8", newline="") as fh:
            return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]

    cities = {r["city_code"]: r["city_name"] for r in rows("cities.csv")}
    zones = {r["zone_code"]: (r["zone_name"], r["city_code"]) for r in rows("zones.csv")}
    indicators = {
        r["indicator_code"]: IndicatorRef(r["unit"], r["cumulative"].lower() == "true") for r in rows("indicators.csv")
    }
    return ReferenceData(cities, zones, indicators)


# -- inputs and outputs ------------------------------------------------------------------------
def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass
class MonthFrames:
    """One month's frames. Raw frames have the columns of raw.indicator_facts / raw.pipeline_facts."""

    indicator_facts: pd.DataFrame = field(default_factory=_empty)
    pipeline_facts: pd.DataFrame = field(default_factory=_empty)
    documents: pd.DataFrame = field(default_factory=_empty)  # doc_id, file_name, fact_count
    fct_indicator: pd.DataFrame = field(default_factory=_empty)
    fct_indicator_previous: pd.DataFrame = field(default_factory=_empty)  # earlier month(s) of the same year
    fct_project_pipeline: pd.DataFrame = field(default_factory=_empty)
    previous_month_cities: set[str] = field(default_factory=set)


@dataclass
class CheckResult:
    suite: str
    expectation: str  # readable id, e.g. "expect_column_values_to_be_between(yoy_pct)"
    rule: str
    severity: str  # "ERROR" | "WARN"
    success: bool
    observed_value: str
    failing_count: int
    failing_sample: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.suite}: {self.expectation}"


@dataclass
class MonthValidation:
    period: str
    checks: list[CheckResult]
    suite_results: dict[str, "ExpectationSuiteValidationResult"]  # GX's own results, for Data Docs
    seconds: float

    @property
    def failed_errors(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.success and c.severity == "ERROR"]

    @property
    def failed_warnings(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.success and c.severity == "WARN"]

    @property
    def passed(self) -> bool:
        """True when no ERROR expectation failed (warnings do not block)."""
        return not self.failed_errors


# -- suites ------------------------------------------------------------------------------------
def _quiet_gx() -> None:
    """No analytics, no GX log lines below ERROR, no GX warnings. Call again after importing GX:
    some GX modules set their own logger's level when imported."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    names = ["great_expectations"] + [n for n in logging.Logger.manager.loggerDict if n.startswith("great_expectations.")]
    for name in names:
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"great_expectations(\.|$)")
    warnings.filterwarnings("ignore", category=DeprecationWarning, message=r".*(condition_parser|row_condition).*")


def _columns_of(kwargs: Mapping[str, Any]) -> list[str]:
    if "column_list" in kwargs:
        return list(kwargs["column_list"])
    if "column_A" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    if "column" in kwargs:
        return [kwargs["column"]]
    return []


def _check_of(kwargs: Mapping[str, Any]) -> str | None:
    """The derived frame a cross-check expectation keeps to (its row_condition on `check`)."""
    condition = kwargs.get("row_condition")
    if condition is None:
        return None
    if not isinstance(condition, Mapping):
        condition = condition.dict() if hasattr(condition, "dict") else {}
    column = condition.get("column") or {}
    if condition.get("type") == "comparison" and column.get("name") == "check" and condition.get("operator") == "==":
        return condition.get("parameter")
    return None


def readable_ids(expectations: Iterable[Mapping[str, Any]]) -> list[str]:
    """`type(columns)`, prefixed with the cross-check's name; disambiguated by severity when needed."""
    expectations = list(expectations)
    base = []
    for e in expectations:
        kwargs = e.get("kwargs", {})
        label = f"{e['type']}({', '.join(_columns_of(kwargs))})" if _columns_of(kwargs) else e["type"]
        check = _check_of(kwargs)
        base.append(f"{check}: {label}" if check else label)
    ids = []
    for label, e in zip(base, expectations):
        if base.count(label) > 1:
            label = f"{label} [{e.get('meta', {}).get('severity', '')}]"
        ids.append(label)
    if len(set(ids)) != len(ids):
        seen: dict[str, int] = {}
        for i, label in enumerate(ids):
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                ids[i] = f"{label} #{seen[label]}"
    return ids


def read_suite_json(name: str, folder: str | Path = EXPECTATIONS_DIR) -> dict:
    data = json.loads((Path(folder) / f"{name}.json").read_text(encoding="utf-8"))
    if data.get("name") != name:
        raise ValueError(f"{name}.json: suite name is {data.get('name')!r}")
    for i, e in enumerate(data.get("expectations", [])):
        meta = e.get("meta") or {}
        if meta.get("severity") not in SEVERITIES or not str(meta.get("rule", "")).strip():
            raise ValueError(f"{name}.json: expectation {i} ({e.get('type')}) needs meta.severity error|warn and meta.rule")
    return data


def build_suite(data: Mapping[str, Any]) -> "ExpectationSuite":
    """A GX ExpectationSuite from suite JSON, with severity and rule mirrored into GX's own fields."""
    _quiet_gx()
    from great_expectations.core.expectation_suite import ExpectationSuite

    data = copy.deepcopy(dict(data))
    ids = readable_ids(data.get("expectations", []))
    for e, readable in zip(data.get("expectations", []), ids):
        e["meta"]["expectation"] = readable  # carried into each result, to name it
        e["severity"] = GX_SEVERITIES[e["meta"]["severity"]]
        e.setdefault("notes", f"**{SEVERITIES[e['meta']['severity']]}**: {e['meta']['rule']}")
    return ExpectationSuite(**data)


def load_suites(folder: str | Path = EXPECTATIONS_DIR) -> dict[str, "ExpectationSuite"]:
    return {name: build_suite(read_suite_json(name, folder)) for name in SUITE_NAMES}


class _Engine:
    """One ephemeral GX context, the suites, and a batch definition per suite, reused across months."""

    def __init__(self, folder: Path):
        _quiet_gx()
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        _quiet_gx()
        self.suites = load_suites(folder)
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        source = self.context.data_sources.add_pandas("devzone_month")
        self.batch_definitions = {
            name: source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("month") for name in self.suites
        }
        self.lock = threading.Lock()

    def validate(self, name: str, frame: pd.DataFrame, parameters: dict) -> "ExpectationSuiteValidationResult":
        """Validate in two passes: all expectations BOOLEAN_ONLY, then the failed ones COMPLETE.

        GX's cost is mostly per expectation and per detail metric; a month where nearly everything
        passes needs the failing rows of only a few expectations. The detailed results replace the
        first pass's in the suite result, so Data Docs show the failing values.
        """
        from great_expectations.core.expectation_suite import ExpectationSuite

        suite = self.suites[name]
        with self.lock:
            batch = self.batch_definitions[name].get_batch(batch_parameters={"dataframe": frame})
            result = batch.validate(suite, expectation_parameters=parameters, result_format="BOOLEAN_ONLY")
            failed = {r.expectation_config.meta.get("expectation") for r in result.results if not r.success}
            if failed:
                retry = ExpectationSuite(
                    name=name,
                    expectations=[e.configuration for e in suite.expectations if e.meta.get("expectation") in failed],
                )
                detailed = batch.validate(retry, expectation_parameters=parameters, result_format=RESULT_FORMAT)
                by_id = {r.expectation_config.meta.get("expectation"): r for r in detailed.results}
                result.results = [by_id.get(r.expectation_config.meta.get("expectation"), r) for r in result.results]
            return result


_ENGINES: dict[Path, _Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _engine(folder: str | Path = EXPECTATIONS_DIR) -> _Engine:
    key = Path(folder).resolve()
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = _Engine(key)
        return _ENGINES[key]


# -- frames ------------------------------------------------------------------------------------
def previous_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def _numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([math.nan] * len(frame), index=frame.index, dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("float64")


def _fraction(series: pd.Series) -> pd.Series:
    return (series - series.round()).abs()


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype="object")
    return frame[column].astype("object").where(frame[column].notna(), None)


def _nullable_bool(series: pd.Series) -> pd.Series:
    return series.astype("object").where(series.notna(), None).map(lambda v: None if v is None else bool(v))


def _count_rows_of_indicators(frame: pd.DataFrame, code_column: str, ref: ReferenceData) -> pd.Series:
    """Rows that are counts: stated in a count unit, or an indicator the seed counts."""
    unit = _text(frame, "unit")
    seed_unit = _text(frame, code_column).map(lambda c: ref.indicators[c].unit if c in ref.indicators else None)
    return unit.isin(COUNT_UNITS) | seed_unit.isin(COUNT_UNITS)


def prepare_indicator_facts(frame: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    counts = _count_rows_of_indicators(out, "metric", ref)
    out["count_fractional_part"] = _fraction(_numeric(out, "value")).where(counts)
    if "zone_resolved" in out.columns:
        out["zone_resolved"] = _nullable_bool(out["zone_resolved"])
    return out


def prepare_pipeline_facts(frame: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    counts = _text(out, "measure").isin(PIPELINE_COUNT_MEASURES)
    out["count_fractional_part"] = _fraction(_numeric(out, "value")).where(counts)
    if "zone_resolved" in out.columns:
        out["zone_resolved"] = _nullable_bool(out["zone_resolved"])
    return out


def prepare_fct_indicator(frame: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    counts = _count_rows_of_indicators(out, "indicator_code", ref)
    out["count_fractional_part"] = _fraction(_numeric(out, "value")).where(counts)
    return out


def prepare_fct_project_pipeline(frame: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    zone_key = _text(out, "zone_key")
    out["zone_code"] = zone_key.where(~zone_key.fillna("").str.startswith("UNRESOLVED:"), None)
    fractions = pd.concat(
        [_fraction(_numeric(out, c)) for c in PIPELINE_COUNT_MEASURES], axis=1
    )
    out["count_fractional_part"] = fractions.max(axis=1, skipna=True)
    industrial = _numeric(out, "industrial_investment")
    use_industrial = (_text(out, "stage") == "in_production") & industrial.notna()
    out["rate_base_investment"] = industrial.where(use_industrial, _numeric(out, "investment"))
    if "rate_base" not in out.columns:
        out["rate_base"] = pd.Series(["investment"] * len(out), dtype="object").where(~use_industrial, "industrial_investment")
    base = out["rate_base_investment"]
    recomputed = _numeric(out, "advanced_investment") / base.where(base > 0) * 100
    out["recomputed_rate_pct"] = recomputed.round(6)
    out["recomputed_rate_gap_pp"] = (_numeric(out, "reported_rate_pct") - recomputed).round(6)
    return out


def _cross_rows(check: str, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["check"] = check
    return frame


def _document_rows(frames: MonthFrames) -> pd.DataFrame:
    documents = frames.documents
    if documents.empty or "doc_id" not in documents.columns:
        return pd.DataFrame(columns=["doc_id", "file_name", "fact_count", "stated_period"])
    out = documents.copy()
    if "fact_count" not in out.columns:  # count the raw facts of each document
        counts: dict[str, int] = {}
        for raw in (frames.indicator_facts, frames.pipeline_facts):
            if "doc_id" in raw.columns:
                for doc_id, n in raw["doc_id"].value_counts().items():
                    counts[doc_id] = counts.get(doc_id, 0) + int(n)
        out["fact_count"] = out["doc_id"].map(counts).fillna(0)
    out["fact_count"] = pd.to_numeric(out["fact_count"], errors="coerce").fillna(0).astype("int64")
    keep = [c for c in ("doc_id", "file_name", "fact_count", "stated_period") if c in out.columns]
    return out[keep]


def _fct_parts(fct: pd.DataFrame, ref: ReferenceData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(city totals, zone rows) of fct_indicator with a value, additive indicators only."""
    needed = {"period", "city_code", "zone_key", "indicator_code", "basis", "value"}
    if fct.empty or not needed <= set(fct.columns):
        return pd.DataFrame(), pd.DataFrame()
    rows = fct.copy()
    rows["value"] = _numeric(rows, "value")
    rows["yoy_pct"] = _numeric(rows, "yoy_pct")
    units = rows["unit"] if "unit" in rows.columns else rows["indicator_code"].map(
        lambda c: ref.indicators[c].unit if c in ref.indicators else None
    )
    rows = rows[rows["value"].notna() & rows["city_code"].notna() & (units != "%")]
    for column in ("city_name", "zone_name", "unit", "evidence"):
        if column not in rows.columns:
            rows[column] = None
    cities = rows[rows["zone_key"].isna()]
    zones = rows[rows["zone_key"].notna()]
    return cities, zones


def _zone_within_city_rows(fct: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    cities, zones = _fct_parts(fct, ref)
    if cities.empty or zones.empty:
        return pd.DataFrame()
    keys = ["period", "city_code", "indicator_code", "basis"]
    merged = zones.merge(
        cities[keys + ["value", "evidence"]].rename(columns={"value": "city_value", "evidence": "city_evidence"}),
        on=keys, how="inner",
    )
    return pd.DataFrame({
        "period": merged["period"],
        "city": merged["city_name"],
        "zone": merged["zone_name"].where(merged["zone_name"].notna(), merged["zone_key"]),
        "zone_key": merged["zone_key"],
        "indicator_code": merged["indicator_code"],
        "basis": merged["basis"],
        "unit": merged["unit"],
        "zone_value": merged["value"],
        "city_value": merged["city_value"],
        "evidence": merged["evidence"],
        "city_evidence": merged["city_evidence"],
    })


def implied_growth_pct(values: Iterable[float], growths_pct: Iterable[float]) -> float:
    """The growth of a sum from its parts: sum(value) / sum(value / (1 + g)) - 1, in %."""
    values, growths_pct = list(values), list(growths_pct)
    prior = sum(v / (1 + g / 100) for v, g in zip(values, growths_pct))
    return (sum(values) / prior - 1) * 100 if prior else math.nan


def _city_growth_rows(fct: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    cities, zones = _fct_parts(fct, ref)
    if cities.empty or zones.empty:
        return pd.DataFrame()
    cities = cities[(cities["basis"] == "actual") & cities["yoy_pct"].notna()]
    groups = {key: group for key, group in zones.groupby(["period", "city_code", "indicator_code", "basis"])}
    rows = []
    for city in cities.itertuples(index=False):
        group = groups.get((city.period, city.city_code, city.indicator_code, city.basis))
        if group is None or group["yoy_pct"].isna().any() or (group["yoy_pct"] <= -100).any():
            continue
        total = round(float(group["value"].sum()), 6)
        if abs(total - city.value) > SUM_TOLERANCE + 1e-9:
            continue
        implied = implied_growth_pct(group["value"], group["yoy_pct"])
        stated = float(city.yoy_pct)
        rows.append({
            "period": city.period, "city": city.city_name, "indicator_code": city.indicator_code, "basis": city.basis,
            "unit": city.unit, "city_value": float(city.value), "zones_value_sum": round(total, 6),
            "zone_count": len(group), "stated_yoy_pct": stated, "implied_yoy_pct": round(implied, 4),
            "yoy_gap_pp": round(stated - implied, 4), "sign_agrees": not (stated * implied < 0),
            "city_evidence": city.evidence,
        })
    return pd.DataFrame(rows)


def _cumulative_rows(period: str, fct: pd.DataFrame, previous: pd.DataFrame, ref: ReferenceData) -> pd.DataFrame:
    needed = {"period", "city_code", "zone_key", "indicator_code", "basis", "value"}
    if fct.empty or previous.empty or not needed <= set(fct.columns) or not needed <= set(previous.columns):
        return pd.DataFrame()
    year = period[:4]
    keys = ["city_code", "zone_key", "indicator_code", "basis"]

    def actual_cumulative(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame["value"] = _numeric(frame, "value")
        mask = (frame["basis"] == "actual") & frame["value"].notna() & frame["indicator_code"].map(ref.is_cumulative)
        frame = frame[mask.astype(bool)]
        frame[keys[:2]] = frame[keys[:2]].astype("object").where(frame[keys[:2]].notna(), "")  # null-safe join keys
        return frame

    current = actual_cumulative(fct[fct["period"] == period]).drop(
        columns=["previous_period", "previous_value"], errors="ignore"
    )
    earlier = previous[(previous["period"].astype(str).str[:4] == year) & (previous["period"].astype(str) < period)]
    earlier = actual_cumulative(earlier).sort_values("period").drop_duplicates(keys, keep="last")
    merged = current.merge(
        earlier[keys + ["period", "value"]].rename(columns={"period": "previous_period", "value": "previous_value"}),
        on=keys, how="inner",
    )
    if merged.empty:
        return pd.DataFrame()
    return pd.DataFrame({
        "period": merged["period"],
        "city": merged["city_name"] if "city_name" in merged.columns else None,
        "zone": merged["zone_name"] if "zone_name" in merged.columns else None,
        "zone_key": merged["zone_key"].replace("", None),
        "indicator_code": merged["indicator_code"],
        "basis": merged["basis"],
        "unit": merged["unit"] if "unit" in merged.columns else None,
        "value": merged["value"],
        "previous_period": merged["previous_period"],
        "previous_value": merged["previous_value"],
        "evidence": merged["evidence"] if "evidence" in merged.columns else None,
    })


def month_cities(frames: MonthFrames) -> set[str]:
    """Cities that filed this month: named in the raw facts or the marts."""
    cities: set[str] = set()
    for frame, column in ((frames.indicator_facts, "city"), (frames.pipeline_facts, "city"),
                          (frames.fct_indicator, "city_name"), (frames.fct_project_pipeline, "city_name")):
        if column in frame.columns:
            cities.update(c for c in frame[column].dropna().unique())
    return cities


def _expected_city_rows(frames: MonthFrames) -> pd.DataFrame:
    filed = month_cities(frames)
    return pd.DataFrame(
        [{"city": city, "filed": city in filed} for city in sorted(frames.previous_month_cities or ())],
        columns=["city", "filed"],
    )


def _named_zone_rows(frames: MonthFrames) -> pd.DataFrame:
    columns = ["city", "zone", "zone_code", "zone_resolved", "file_name", "evidence"]
    parts = []
    for raw in (frames.indicator_facts, frames.pipeline_facts):
        if "zone" in raw.columns:
            part = raw[raw["zone"].notna()].copy()
            for column in columns:
                if column not in part.columns:
                    part[column] = None
            parts.append(part[columns])
    if not parts or all(p.empty for p in parts):
        return pd.DataFrame()
    rows = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    rows["zone_resolved"] = _nullable_bool(rows["zone_resolved"])
    grouped = (
        rows.groupby(["city", "zone", "zone_code", "zone_resolved"], dropna=False, sort=True)
        .agg(fact_count=("zone", "size"), file_name=("file_name", "first"), evidence=("evidence", "first"))
        .reset_index()
    )
    grouped["city_resolved"] = [bool(r is True and c is not None and c == c) for r, c in zip(grouped["zone_resolved"], grouped["city"])]
    grouped["in_reference"] = grouped["zone_code"].notna()
    return grouped


def cross_check_frame(period: str, frames: MonthFrames, ref: ReferenceData) -> pd.DataFrame:
    """The derived rows the cross_checks suite validates, one `check` per derived frame."""
    parts = [
        _cross_rows("document_facts", _document_rows(frames)),
        _cross_rows("zone_within_city", _zone_within_city_rows(frames.fct_indicator, ref)),
        _cross_rows("city_growth", _city_growth_rows(frames.fct_indicator, ref)),
        _cross_rows("cumulative_progress", _cumulative_rows(period, frames.fct_indicator, frames.fct_indicator_previous, ref)),
        _cross_rows("expected_city", _expected_city_rows(frames)),
        _cross_rows("named_zone", _named_zone_rows(frames)),
    ]
    parts = [p.reindex(columns=list(CROSS_COLUMNS)).astype("object") for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CROSS_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    for column in out.columns:
        if column in NUMERIC_CROSS_COLUMNS:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
        else:
            out[column] = out[column].where(out[column].notna(), None)
    return out


def prepared_frames(period: str, frames: MonthFrames, ref: ReferenceData) -> dict[str, pd.DataFrame]:
    """The frame each suite validates, with the columns computed in pandas."""
    return {
        "extracted_indicator_facts": prepare_indicator_facts(frames.indicator_facts, ref),
        "extracted_pipeline_facts": prepare_pipeline_facts(frames.pipeline_facts, ref),
        "fct_indicator": prepare_fct_indicator(frames.fct_indicator, ref),
        "fct_project_pipeline": prepare_fct_project_pipeline(frames.fct_project_pipeline, ref),
        "cross_checks": cross_check_frame(period, frames, ref),
    }


# -- results -----------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (tuple, list)):  # a column pair's values: (48.46, 67.3), not np.float64(...)
        return tuple(_plain(v) for v in value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    return value


def _short(values: Iterable[Any], limit: int = 200) -> str:
    text = ", ".join(str(_plain(v)) for v in values)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sample(frame: pd.DataFrame, indices: list, meta: Mapping[str, Any], kwargs: Mapping[str, Any]) -> list[dict]:
    """Up to SAMPLE_SIZE failing rows: the meta's sample_columns (or the identity columns), the
    expectation's own columns, and the evidence sentence when the frame has one."""
    wanted = list(meta.get("sample_columns") or [c for c in IDENTITY_COLUMNS if c in frame.columns])
    for column in _columns_of(kwargs):
        if column not in wanted:
            wanted.append(column)
    optional = set()
    if "evidence" in frame.columns and "evidence" not in wanted:
        wanted.append("evidence")
        optional.add("evidence")
    columns = [c for c in wanted if c in frame.columns]
    rows = []
    for index in indices[:SAMPLE_SIZE]:
        if index not in frame.index:
            continue
        row = {}
        for column in columns:
            value = _plain(frame.at[index, column])
            if value is None and column in optional:
                continue
            if column.endswith("_count") and isinstance(value, float) and value.is_integer():
                value = int(value)
            row[column] = value
        rows.append(row)
    return rows


def _raised(info: Any) -> dict | None:
    """The exception an expectation raised, if any (GX nests it under metric ids for metric errors)."""
    if not isinstance(info, Mapping):
        return None
    if info.get("raised_exception"):
        return dict(info)
    for value in info.values():
        if isinstance(value, Mapping) and value.get("raised_exception"):
            return dict(value)
    return None


def to_check_result(suite: str, result: Any, frame: pd.DataFrame) -> CheckResult:
    config = result.expectation_config
    meta = config.meta or {}
    kwargs = config.kwargs or {}
    details = result.result or {}
    severity = SEVERITIES[meta.get("severity", "error")]
    expectation = meta.get("expectation") or f"{config.type}({', '.join(_columns_of(kwargs))})"
    rule = meta.get("rule", "")
    exception = _raised(result.exception_info)
    if exception:
        message = (exception.get("exception_message") or "").strip().splitlines()
        return CheckResult(suite, expectation, rule, severity, False,
                           f"could not be evaluated: {message[0] if message else 'error'}"[:300], 0, [])
    if config.type == "expect_table_columns_to_match_set":
        missing = sorted((details.get("details") or {}).get("mismatched", {}).get("missing", []) or [])
        observed = f"missing columns: {', '.join(missing)}" if missing else f"all {len(kwargs.get('column_set', []))} columns present"
        return CheckResult(suite, expectation, rule, severity, bool(result.success), observed, len(missing),
                           [{"missing_column": c} for c in missing[:SAMPLE_SIZE]])
    checked = details.get("element_count")
    if _check_of(kwargs) is not None and "check" in frame.columns:
        checked = int((frame["check"] == _check_of(kwargs)).sum())
    failing = int(details.get("unexpected_count") or 0)
    indices = list(details.get("unexpected_index_list") or [])
    if result.success:
        if checked is not None:
            observed = f"{checked} rows checked, all pass"
        elif kwargs.get("row_condition") is None:
            observed = f"{len(frame)} rows checked, all pass"
        else:
            observed = "all rows the row_condition selects pass"
        return CheckResult(suite, expectation, rule, severity, True, observed, 0, [])
    observed = f"{failing} of {checked} rows fail" if checked is not None else f"{failing} rows fail"
    list_column = meta.get("list_column")
    if list_column and list_column in frame.columns and indices:
        names = list(dict.fromkeys(frame.loc[[i for i in indices if i in frame.index], list_column].tolist()))
        observed += f": {_short(names)}"
    elif details.get("partial_unexpected_list"):
        observed += f", e.g. {_short(details['partial_unexpected_list'][:3], 120)}"
    return CheckResult(suite, expectation, rule, severity, False, observed, failing, _sample(frame, indices, meta, kwargs))


# -- entry points ------------------------------------------------------------------------------
def run_month(
    period: str,
    frames: MonthFrames,
    ref: ReferenceData,
    suites: Iterable[str] = SUITE_NAMES,
    suites_dir: str | Path = EXPECTATIONS_DIR,
) -> MonthValidation:
    """Validate one month: each suite over its frame; CheckResults plus GX's own results."""
    started = time.perf_counter()
    engine = _engine(suites_dir)
    parameters = ref.expectation_parameters(period, *codes_present(frames))
    checks: list[CheckResult] = []
    suite_results = {}
    wanted = set(suites)
    unknown = wanted - set(SUITE_NAMES)
    if unknown:
        raise ValueError(f"unknown suites: {sorted(unknown)}")
    for name, frame in prepared_frames(period, frames, ref).items():
        if name not in wanted:
            continue
        result = engine.validate(name, frame, parameters)
        result.meta["period"] = period
        suite_results[name] = result
        order = {e.meta.get("expectation"): i for i, e in enumerate(engine.suites[name].expectations)}
        ordered = sorted(result.results, key=lambda r: order.get((r.expectation_config.meta or {}).get("expectation"), 1 << 30))
        checks.extend(to_check_result(name, r, frame) for r in ordered)
    return MonthValidation(period, checks, suite_results, time.perf_counter() - started)


def codes_present(frames: MonthFrames) -> tuple[set[str], set[str]]:
    """(zone codes, indicator codes) named anywhere in the month's frames."""
    zones: set[str] = set()
    indicators: set[str] = set()
    for frame, column in ((frames.indicator_facts, "zone_code"), (frames.pipeline_facts, "zone_code"),
                          (frames.fct_indicator, "zone_code"), (frames.fct_project_pipeline, "zone_key")):
        if column in frame.columns:
            zones.update(str(z) for z in frame[column].dropna().unique())
    for frame, column in ((frames.indicator_facts, "metric"), (frames.fct_indicator, "indicator_code")):
        if column in frame.columns:
            indicators.update(str(c) for c in frame[column].dropna().unique())
    return zones, indicators


def validate_month(period: str, frames: MonthFrames, ref: ReferenceData) -> list[CheckResult]:
    """Every expectation of every suite for one month, in suite order."""
    return run_month(period, frames, ref).checks


def summarise(checks: Iterable[CheckResult], failed_only: bool = True) -> str:
    """A plain-text table of the results (for logs and asset-check metadata)."""
    lines = []
    for c in checks:
        if failed_only and c.success:
            continue
        status = "ok  " if c.success else ("FAIL" if c.severity == "ERROR" else "warn")
        lines.append(f"{status} {c.severity:<5} {c.suite}: {c.expectation} — {c.observed_value}")
    return "\n".join(lines) if lines else "all expectations pass"


DATA_DOCS_SITE = "devzone_quality"


def build_data_docs(validations: "MonthValidation | Iterable[MonthValidation]", folder: str | Path) -> Path:
    """Render GX Data Docs (static HTML) for validation results into `folder`; returns the index.

    `validations` is one month's validation or several months' (a backfill). `folder` becomes a file-mode GX project (`folder/gx/`: the suites as
    JSON and every stored validation result), so the site accumulates. Only the pages of the results
    given here are rendered: re-rendering every stored result on each month made a 10-year backfill
    quadratic (hours). The index, `folder/index.html` (write_offline_index), is rewritten each time.
    """
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    _quiet_gx()
    if isinstance(validations, MonthValidation):
        validations = [validations]
    runs = [(v.period, v.suite_results) for v in validations]
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    site_dir = folder / "data_docs"
    context = gx.get_context(mode="file", project_root_dir=str(folder))
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    site_config = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    if DATA_DOCS_SITE in (context.get_config().data_docs_sites or {}):
        context.update_data_docs_site(DATA_DOCS_SITE, site_config)
    else:
        context.add_data_docs_site(DATA_DOCS_SITE, site_config)

    engine_suites = _engine().suites
    now = dt.datetime.now(dt.timezone.utc)
    keys: list = []
    for name in sorted({name for _, results in runs for name in results}):
        suite = engine_suites.get(name)
        if suite is not None:
            context.suites.add_or_update(ExpectationSuite(**{k: v for k, v in suite.to_json_dict().items() if k != "id"}))
            keys.append(ExpectationSuiteIdentifier(name=name))
    for period, results in runs:
        for name, result in results.items():
            run_id = RunIdentifier(run_name=period, run_time=now)
            result = copy.deepcopy(result)
            result.meta["run_id"] = run_id
            result.meta["validation_time"] = now
            result.meta["batch_kwargs"] = {"data_asset_name": f"{name} {period}"}
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=name),
                run_id=run_id,
                batch_identifier=f"{name}-{period}",
            )
            context.validation_results_store.set(key, result)
            keys.append(key)
    # GX's own index is not built: it needs scripts from the internet to show anything, and it
    # reads every stored result (1.7 s a run on 10 years). devzone's plain index replaces it.
    context.build_data_docs(site_names=[DATA_DOCS_SITE], resource_identifiers=keys, build_index=False)
    return write_offline_index(folder)


def write_offline_index(folder: str | Path) -> Path:
    """`folder/index.html`: every stored run as plain HTML (no scripts), linking GX's pages.

    GX's own index fills its tables with JavaScript loaded from public CDNs and stays empty
    without internet access; its result and suite pages are readable without it.
    """
    import html

    folder = Path(folder)
    store = folder / "gx" / "uncommitted" / "validations"
    runs = []
    for path in store.glob("*/*/*/*.json"):
        suite, run_name, run_time = path.parts[-4:-1]
        data = json.loads(path.read_text(encoding="utf-8"))
        failed = [r for r in data.get("results", []) if not r.get("success")]
        severity = lambda r: (r.get("expectation_config", {}).get("meta") or {}).get("severity")  # noqa: E731
        runs.append({
            "suite": suite, "run_name": run_name, "run_time": run_time,
            "page": f"data_docs/validations/{suite}/{run_name}/{run_time}/{path.stem}.html",
            "suite_page": f"data_docs/expectations/{suite}.html",
            "evaluated": (data.get("statistics") or {}).get("evaluated_expectations", 0),
            "errors": [r for r in failed if severity(r) == "error"],
            "warnings": [r for r in failed if severity(r) != "error"],
        })
    runs.sort(key=lambda r: (r["run_time"], r["run_name"], SUITE_NAMES.index(r["suite"]) if r["suite"] in SUITE_NAMES else 99),
              reverse=True)
    e = html.escape
    rows = []
    for run in runs:
        status = "ERROR" if run["errors"] else ("WARN" if run["warnings"] else "ok")
        failures = "".join(
            f"<li><b>{'ERROR' if r in run['errors'] else 'WARN'}</b> "
            f"{e(str((r['expectation_config'].get('meta') or {}).get('expectation', r['expectation_config'].get('type'))))}"
            f" — {e(str((r['expectation_config'].get('meta') or {}).get('rule', '')))}</li>"
            for r in run["errors"] + run["warnings"]
        )
        rows.append(
            f"<tr class='{status.lower()}'><td>{e(run['run_name'])}</td><td>{e(run['run_time'])}</td>"
            f"<td><a href='{e(run['suite_page'])}'>{e(run['suite'])}</a></td><td>{status}</td>"
            f"<td>{run['evaluated']}</td><td><a href='{e(run['page'])}'>result</a><ul>{failures}</ul></td></tr>"
        )
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>devzone quality runs</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:4px 8px;vertical-align:top;text-align:left}tr.error td:nth-child(4){color:#b00;font-weight:bold}"
        "tr.warn td:nth-child(4){color:#a60}ul{margin:0;padding-left:1.2em}</style></head><body>"
        "<h1>devzone quality gate: validation runs</h1>"
        "<p>Each run links to its Great Expectations result page and its suite's page.</p>"
        "<table><tr><th>run</th><th>run time (UTC)</th><th>suite</th><th>status</th><th>expectations</th>"
        "<th>result and failed expectations</th></tr>" + "".join(rows) + "</table></body></html>"
    )
    index = folder / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


# -- reading a month from the warehouse ---------------------------------------------------------
def load_month_frames(con: "duckdb.DuckDBPyConnection", period: str, marts_schema: str = "main") -> MonthFrames:
    """A month's frames from the working warehouse (raw.* and the fct marts in `marts_schema`)."""

    def frame(sql: str, params: list) -> pd.DataFrame:
        return con.execute(sql, params).df()

    previous = previous_period(period)
    documents = frame(
        """
        select d.doc_id, d.file_name, d.report_city, d.stated_period,
               coalesce(i.n, 0) + coalesce(p.n, 0) as fact_count
        from raw.documents d
        left join (select doc_id, count(*) as n from raw.indicator_facts where period = ? group by doc_id) i using (doc_id)
        left join (select doc_id, count(*) as n from raw.pipeline_facts where period = ? group by doc_id) p using (doc_id)
        where d.period = ?
        order by d.file_name
        """,
        [period, period, period],
    )
    same_year_previous = previous if previous[:4] == period[:4] else "none"
    cities = frame(
        """
        select distinct city from raw.indicator_facts where period = ? and city is not null
        union
        select distinct city from raw.pipeline_facts where period = ? and city is not null
        order by city
        """,
        [previous, previous],
    )
    return MonthFrames(
        indicator_facts=frame("select * from raw.indicator_facts where period = ? order by doc_id, fact_seq", [period]),
        pipeline_facts=frame("select * from raw.pipeline_facts where period = ? order by doc_id, fact_seq", [period]),
        documents=documents,
        # Ordered: a table rewritten by dbt returns its rows in another order, and the sums, samples
        # and "e.g." values of the results must not depend on it (same facts, same results).
        fct_indicator=frame(
            f"select * from {marts_schema}.fct_indicator where period = ? order by indicator_fact_key", [period]
        ),
        fct_indicator_previous=frame(
            f"select * from {marts_schema}.fct_indicator where period = ? order by indicator_fact_key", [same_year_previous]
        ),
        fct_project_pipeline=frame(
            f"select * from {marts_schema}.fct_project_pipeline where period = ? order by pipeline_fact_key", [period]
        ),
        previous_month_cities=set(cities["city"].tolist()),
    )


def main(argv: list[str] | None = None) -> int:
    """python -m orchestration.quality WAREHOUSE PERIOD [--docs FOLDER]: validate a month, print the failures."""
    import argparse

    import duckdb

    parser = argparse.ArgumentParser(prog="python -m orchestration.quality")
    parser.add_argument("warehouse")
    parser.add_argument("period")
    parser.add_argument("--schema", default="main")
    parser.add_argument("--docs", help="build Data Docs into this folder")
    parser.add_argument("--all", action="store_true", help="print passing expectations too")
    args = parser.parse_args(argv)
    con = duckdb.connect(args.warehouse, read_only=True)
    try:
        frames = load_month_frames(con, args.period, args.schema)
    finally:
        con.close()
    validation = run_month(args.period, frames, load_reference_data())
    print(summarise(validation.checks, failed_only=not args.all))
    print(f"{len(validation.checks)} expectations, {len(validation.failed_errors)} errors, "
          f"{len(validation.failed_warnings)} warnings, {validation.seconds:.2f} s")
    if args.docs:
        print(build_data_docs(validation, args.docs))
    return 1 if validation.failed_errors else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
