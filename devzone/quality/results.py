"""What the gate reports: `CheckResult` (one expectation of one suite for one month) made from GX's
results, `MonthValidation` (a month's results and the gate's decision) and `GateValidation` (the
run's months, validated together)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from devzone.quality.frames import KEYS_COLUMN
from devzone.quality.suites import SEVERITIES, check_of, columns_of

if TYPE_CHECKING:  # pragma: no cover
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult

SAMPLE_SIZE = 5
# Columns a person needs to find a row, in the order shown, when an expectation names none.
IDENTITY_COLUMNS = (
    "check",
    "file_name",
    "period",
    "city",
    "city_name",
    "zone",
    "zone_name",
    "zone_key",
    "metric",
    "indicator_code",
    "basis",
    "scope",
    "stage",
    "measure",
)


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
    # the correction keys of the facts in every failing row (not only the sample), sorted: what
    # `devzone review` lists and an --accept acknowledges
    failing_keys: list[str] = field(default_factory=list)
    # the rule and the observed value in Chinese, for the managers (数据质量, the bulletin's appendix)
    rule_zh: str = ""
    observed_zh: str = ""

    @property
    def name(self) -> str:
        return f"{self.suite}: {self.expectation}"


@dataclass
class MonthValidation:
    period: str
    checks: list[CheckResult]
    suite_results: dict[str, ExpectationSuiteValidationResult]  # GX's own results, for Data Docs
    seconds: float

    @property
    def failed_errors(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.success and c.severity == "ERROR"]

    @property
    def failed_warnings(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.success and c.severity == "WARN"]

    @property
    def passed(self) -> bool:
        """The gate's decision: True when no ERROR expectation failed (warnings do not block)."""
        return not self.failed_errors


@dataclass
class GateValidation:
    """The gate over a run's months: GX validated each suite once over the window (`suite_results`,
    named `window`: "2023-06", or "2021-01…2030-12" for a backfill), and the results are kept per
    month (`months`; a month with a failure carries GX's own results of that month too)."""

    window: str
    months: list[MonthValidation]
    suite_results: dict[str, ExpectationSuiteValidationResult]
    seconds: float

    @property
    def failed_errors(self) -> list[tuple[str, CheckResult]]:
        return [(m.period, c) for m in self.months for c in m.failed_errors]

    @property
    def passed(self) -> bool:
        return all(m.passed for m in self.months)

    def documented_runs(self) -> list[tuple[str, dict[str, ExpectationSuiteValidationResult]]]:
        """What Data Docs show: the window's validation of each suite, and each month's own
        validation where a month had a failure (a one-month window is its month)."""
        runs = [(self.window, self.suite_results)]
        for month in self.months:
            if month.period != self.window and month.suite_results:
                runs.append((month.period, month.suite_results))
        return runs


def plain(value: Any) -> Any:
    """A value as JSON shows it: Python scalars, None for missing, floats to 6 decimals."""
    if value is None:
        return None
    if isinstance(value, (tuple, list)):  # a column pair's values: (48.46, 67.3), not np.float64(...)
        return tuple(plain(v) for v in value)
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


def short(values: Iterable[Any], limit: int = 200) -> str:
    text = ", ".join(str(plain(v)) for v in values)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sample(frame: pd.DataFrame, indices: list, meta: Mapping[str, Any], kwargs: Mapping[str, Any]) -> list[dict]:
    """Up to SAMPLE_SIZE failing rows: the meta's sample_columns (or the identity columns), the
    expectation's own columns, and the evidence sentence when the frame has one."""
    wanted = list(meta.get("sample_columns") or [c for c in IDENTITY_COLUMNS if c in frame.columns])
    for column in columns_of(kwargs):
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
            value = plain(frame.at[index, column])
            if value is None and column in optional:
                continue
            if column.endswith("_count") and isinstance(value, float) and value.is_integer():
                value = int(value)
            row[column] = value
        rows.append(row)
    return rows


def failing_keys(frame: pd.DataFrame, indices: list) -> list[str]:
    """The correction keys of the facts in the failing rows `indices` (the frame's KEYS_COLUMN)."""
    if KEYS_COLUMN not in frame.columns:
        return []
    present = [i for i in indices if i in frame.index]
    keys = {k for cell in frame.loc[present, KEYS_COLUMN].dropna() for k in str(cell).split(",") if k}
    return sorted(keys)


def raised_exception(info: Any) -> dict | None:
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
    """One GX ExpectationValidationResult as a CheckResult: observed value (in English and in
    Chinese), failing count and rows."""
    config = result.expectation_config
    meta = config.meta or {}
    kwargs = config.kwargs or {}
    details = result.result or {}

    def made(success: bool, observed: str, observed_zh: str, failing: int = 0, rows=(), keys=()) -> CheckResult:
        return CheckResult(
            suite,
            meta.get("expectation") or f"{config.type}({', '.join(columns_of(kwargs))})",
            meta.get("rule", ""),
            SEVERITIES[meta.get("severity", "error")],
            success,
            observed,
            failing,
            list(rows),
            list(keys),
            meta.get("rule_zh", ""),
            observed_zh,
        )

    exception = raised_exception(result.exception_info)
    if exception:
        message = (exception.get("exception_message") or "").strip().splitlines()
        said = message[0] if message else "error"
        return made(False, f"could not be evaluated: {said}"[:300], f"无法校验：{said}"[:300])
    if config.type == "expect_table_columns_to_match_set":
        missing = sorted((details.get("details") or {}).get("mismatched", {}).get("missing", []) or [])
        if missing:
            return made(
                bool(result.success),
                f"missing columns: {', '.join(missing)}",
                f"缺少字段：{'、'.join(missing)}",
                len(missing),
                [{"missing_column": c} for c in missing[:SAMPLE_SIZE]],
            )
        n = len(kwargs.get("column_set", []))
        return made(bool(result.success), f"all {n} columns present", f"{n}个字段齐全")
    checked = details.get("element_count")
    if check_of(kwargs) is not None and "check" in frame.columns:
        checked = int((frame["check"] == check_of(kwargs)).sum())
    failing = int(details.get("unexpected_count") or 0)
    indices = list(details.get("unexpected_index_list") or [])
    if result.success:
        if checked is not None:
            return made(True, f"{checked} rows checked, all pass", f"检查{checked}行，全部通过")
        if kwargs.get("row_condition") is None:
            return made(True, f"{len(frame)} rows checked, all pass", f"检查{len(frame)}行，全部通过")
        return made(True, "all rows the row_condition selects pass", "所检查的行全部通过")
    observed = f"{failing} of {checked} rows fail" if checked is not None else f"{failing} rows fail"
    observed_zh = f"检查{checked}行，{failing}行未通过" if checked is not None else f"{failing}行未通过"
    list_column = meta.get("list_column")
    if list_column and list_column in frame.columns and indices:
        names = list(dict.fromkeys(frame.loc[[i for i in indices if i in frame.index], list_column].tolist()))
        observed += f": {short(names)}"
        observed_zh += f"：{short(names)}"
    elif details.get("partial_unexpected_list"):
        observed += f", e.g. {short(details['partial_unexpected_list'][:3], 120)}"
        observed_zh += f"，例如 {short(details['partial_unexpected_list'][:3], 120)}"
    return made(
        False,
        observed,
        observed_zh,
        failing,
        sample(frame, indices, meta, kwargs),
        failing_keys(frame, indices),
    )


def summarise(checks: Iterable[CheckResult], failed_only: bool = True) -> str:
    """A plain-text table of the results (for logs and the command line)."""
    lines = []
    for c in checks:
        if failed_only and c.success:
            continue
        status = "ok  " if c.success else ("FAIL" if c.severity == "ERROR" else "warn")
        lines.append(f"{status} {c.severity:<5} {c.suite}: {c.expectation} — {c.observed_value}")
    return "\n".join(lines) if lines else "all expectations pass"
