"""The gate: validate the run's months with every suite, and decide (no ERROR failure: publish).

GX's cost is per validation (a suite over a frame), hardly per row: validating a 120-month
backfill month by month took 120 × 5 validations. So each suite is validated once over the run's
months together (the window, its frames ordered by month), and the results are then told apart
by month:

- an expectation that holds over the window holds in every month (every expectation here is
  row-wise or about the columns, and none allows a share of failures: `mostly`);
- an expectation that fails over the window lists its failing rows and their values (GX's
  COMPLETE result); a month's share of them is what validating the month alone finds, since a
  row's outcome depends on the row only. tests/test_quality_rules.py checks this equality.
- When GX cannot say which rows failed (an expectation about the columns, an error in evaluating
  it, `mostly`, a row condition other than the cross-check's name), the suite is validated again
  month by month.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from devzone.quality.engine import PARTIAL_UNEXPECTED, Engine, engine, expectation_id, result_expectation_id
from devzone.quality.frames import codes_present, read_months
from devzone.quality.results import CheckResult, GateValidation, MonthValidation, raised_exception, to_check_result
from devzone.quality.suites import EXPECTATIONS_DIR, SUITE_NAMES, check_of, suite_parameters

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult

    from devzone.extraction.reference import Reference

WINDOW_SEPARATOR = "…"


def _reference(ref: Reference | None) -> Reference:
    if ref is not None:
        return ref
    from devzone.extraction.reference import load_reference

    return load_reference()


def window_name(periods: Sequence[str]) -> str:
    return periods[0] if len(periods) == 1 else f"{periods[0]}{WINDOW_SEPARATOR}{periods[-1]}"


def month_rows(frame: pd.DataFrame, period: str) -> dict[int, int]:
    """The window rows of a month → their row in the month's own frame."""
    return {int(i): k for k, i in enumerate(np.flatnonzero((frame["period"] == period).to_numpy()))}


def slice_month(frames: dict[str, pd.DataFrame], period: str) -> dict[str, pd.DataFrame]:
    """A month's rows of each frame, indexed from 0 as the month's own frame would be."""
    return {name: frame[frame["period"] == period].reset_index(drop=True) for name, frame in frames.items()}


def splittable(result: ExpectationValidationResult) -> bool:
    """Whether a failed window result names its failing rows, so that months can be told apart."""
    config = result.expectation_config
    assert config is not None, "a validation result carries its expectation's configuration"
    kwargs = config.kwargs or {}
    details = result.result or {}
    indices, values = details.get("unexpected_index_list"), details.get("unexpected_list")
    return (
        raised_exception(result.exception_info) is None
        and "mostly" not in kwargs
        and (kwargs.get("row_condition") is None or check_of(kwargs) is not None)
        and isinstance(indices, list)
        and isinstance(values, list)
        and len(values) <= len(indices)
        and all(pd.api.types.is_integer(i) for i in indices)
    )


_MISSING = object()  # a failing value that neither GX's list nor the frame can give


def listed_value(result: ExpectationValidationResult, frame: pd.DataFrame, k: int, row: int) -> Any:
    """The k-th failing value of a window result, row `row` of the window frame: from GX's list, or
    (past GX's cap on the list, 200 values) from the frame as GX lists it: a column's value, or the
    pair's values as a tuple. A `_MISSING` for other shapes."""
    values = (result.result or {})["unexpected_list"]
    if k < len(values):
        return values[k]
    config = result.expectation_config
    assert config is not None, "a validation result carries its expectation's configuration"
    kwargs = config.kwargs or {}
    if "column_A" in kwargs and "column_B" in kwargs:
        return (frame[kwargs["column_A"]].to_numpy()[row], frame[kwargs["column_B"]].to_numpy()[row])
    if "column" in kwargs:
        return frame[kwargs["column"]].to_numpy()[row]
    return _MISSING


def month_share(
    result: ExpectationValidationResult, frame: pd.DataFrame, rows: dict[int, int]
) -> ExpectationValidationResult | None:
    """A window result as the month whose rows are `rows` (window row → month row) would have it:
    its own failing rows and the first values of them, or none (then it holds). None when a value
    to show cannot be had from GX's list or the frame."""
    if result.success:
        return result
    from great_expectations.core.expectation_validation_result import ExpectationValidationResult

    details = result.result or {}
    mine = [(k, int(i)) for k, i in enumerate(details["unexpected_index_list"]) if int(i) in rows]
    if not mine:
        return ExpectationValidationResult(success=True, expectation_config=result.expectation_config, result={})
    shown = [listed_value(result, frame, k, i) for k, i in mine[:PARTIAL_UNEXPECTED]]
    if any(v is _MISSING for v in shown):
        return None
    share = {
        "element_count": len(rows),
        "unexpected_count": len(mine),
        "unexpected_index_list": [rows[i] for _, i in mine],
        "partial_unexpected_list": shown,
    }
    return ExpectationValidationResult(success=False, expectation_config=result.expectation_config, result=share)


def _in_suite_order(gx_engine: Engine, name: str, results: Iterable[Any]) -> list[Any]:
    order = {expectation_id(e): i for i, e in enumerate(gx_engine.suites[name].expectations)}
    return sorted(results, key=lambda r: order.get(result_expectation_id(r), 1 << 30))


def run_months(
    periods: Sequence[str],
    frames: dict[str, pd.DataFrame],
    ref: Reference | None = None,
    suites: Iterable[str] = SUITE_NAMES,
    suites_dir: str | Path = EXPECTATIONS_DIR,
    month_frames: Callable[[str], dict[str, pd.DataFrame]] | None = None,
) -> GateValidation:
    """Validate the months `periods` (each suite named and present in `frames`, over its frame of
    those months, in suite order): the window's GX results and each month's CheckResults.

    `month_frames(period)` gives a month's own frames for the months validated again (by default
    the month's rows of `frames`; the warehouse reader reads the month, so the column types are
    the month's own)."""
    started = time.perf_counter()
    periods = sorted(set(periods))
    if not periods:
        raise ValueError("no months to validate")
    wanted = set(suites)
    unknown = wanted - set(SUITE_NAMES)
    if unknown:
        raise ValueError(f"unknown suites: {sorted(unknown)}")
    ref = _reference(ref)
    gx_engine = engine(suites_dir)
    window = window_name(periods)
    names = [n for n in SUITE_NAMES if n in wanted and n in frames]
    one_month = len(periods) == 1

    window_results = {}
    checks: dict[str, dict[str, list[CheckResult]]] = {p: {} for p in periods}
    month_results: dict[str, dict] = {p: {} for p in periods}
    recheck: dict[str, list[str]] = {p: [] for p in periods}  # month → suites validated again
    parameters = suite_parameters(ref, periods, *codes_present(frames))
    slices = {p: slice_month({n: frames[n] for n in names}, p) for p in periods} if not one_month else {}
    for name in names:
        frame = frames[name].reset_index(drop=True)
        result = gx_engine.validate(name, frame, parameters)
        # GX's ExpectationSuiteValidationResultMeta TypedDict lists only the keys GX writes, but the
        # meta is a plain dict meant for the user's information too: its stubs are wrong here.
        result.meta["period"] = window  # type: ignore[typeddict-unknown-key]
        window_results[name] = result
        ordered = _in_suite_order(gx_engine, name, result.results)
        if one_month:
            checks[periods[0]][name] = [to_check_result(name, r, frame) for r in ordered]
            month_results[periods[0]][name] = result
            continue
        if not all(r.success or splittable(r) for r in ordered):
            for p in periods:
                recheck[p].append(name)
            continue
        for p in periods:
            rows = month_rows(frame, p)
            shares = [month_share(r, frame, rows) for r in ordered]
            if any(share is None for share in shares):
                recheck[p].append(name)
            else:
                checks[p][name] = [to_check_result(name, share, slices[p][name]) for share in shares if share]

    for p in periods:
        if not recheck[p]:
            continue
        own = month_frames(p) if month_frames else slices[p]
        month_parameters = suite_parameters(ref, p, *codes_present(own))
        for name in recheck[p]:
            frame = own[name].reset_index(drop=True)
            result = gx_engine.validate(name, frame, month_parameters)
            result.meta["period"] = p  # type: ignore[typeddict-unknown-key]
            month_results[p][name] = result
            checks[p][name] = [
                to_check_result(name, r, frame) for r in _in_suite_order(gx_engine, name, result.results)
            ]

    seconds = time.perf_counter() - started
    months = [
        MonthValidation(p, [c for n in names for c in checks[p].get(n, [])], month_results[p], seconds / len(periods))
        for p in periods
    ]
    return GateValidation(window, months, window_results, seconds)


def run_month(
    period: str,
    frames: dict[str, pd.DataFrame],
    ref: Reference | None = None,
    suites: Iterable[str] = SUITE_NAMES,
    suites_dir: str | Path = EXPECTATIONS_DIR,
) -> MonthValidation:
    """Validate one month's frames: its CheckResults plus GX's own results (for the Data Docs)."""
    return run_months([period], frames, ref, suites, suites_dir).months[0]


def validate_months(
    con: duckdb.DuckDBPyConnection,
    periods: Sequence[str],
    ref: Reference | None = None,
    suites: Iterable[str] = SUITE_NAMES,
    schema: str = "main",
) -> GateValidation:
    """Read the months' frames from the warehouse and validate them."""
    ref = _reference(ref)
    suites = tuple(suites)
    return run_months(
        periods,
        read_months(con, periods, ref, schema, suites),
        ref,
        suites,
        month_frames=lambda p: read_months(con, [p], ref, schema, suites),
    )


def validate_month(
    con: duckdb.DuckDBPyConnection,
    period: str,
    ref: Reference | None = None,
    suites: Iterable[str] = SUITE_NAMES,
    schema: str = "main",
) -> MonthValidation:
    """Read one month's frames from the warehouse and validate them."""
    return validate_months(con, [period], ref, suites, schema).months[0]
