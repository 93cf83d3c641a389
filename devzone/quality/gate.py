"""The gate: validate a month's frames with every suite, and decide (no ERROR failure: publish)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from devzone.quality.engine import engine, expectation_id, result_expectation_id
from devzone.quality.frames import codes_present, read_month
from devzone.quality.results import CheckResult, MonthValidation, to_check_result
from devzone.quality.suites import EXPECTATIONS_DIR, SUITE_NAMES, suite_parameters

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

    from devzone.extraction.reference import Reference


def _reference(ref: Reference | None) -> Reference:
    if ref is not None:
        return ref
    from devzone.extraction.reference import load_reference

    return load_reference()


def run_month(
    period: str,
    frames: dict[str, pd.DataFrame],
    ref: Reference | None = None,
    suites: Iterable[str] = SUITE_NAMES,
    suites_dir: str | Path = EXPECTATIONS_DIR,
) -> MonthValidation:
    """Validate one month: each suite named (and present in `frames`) over its frame, in suite
    order; the CheckResults plus GX's own results (for the Data Docs)."""
    started = time.perf_counter()
    wanted = set(suites)
    unknown = wanted - set(SUITE_NAMES)
    if unknown:
        raise ValueError(f"unknown suites: {sorted(unknown)}")
    gx_engine = engine(suites_dir)
    parameters = suite_parameters(_reference(ref), period, *codes_present(frames))
    checks: list[CheckResult] = []
    suite_results = {}
    for name in SUITE_NAMES:
        if name not in wanted or name not in frames:
            continue
        frame = frames[name].reset_index(drop=True)
        result = gx_engine.validate(name, frame, parameters)
        # GX's ExpectationSuiteValidationResultMeta TypedDict lists only the keys GX writes, but the
        # meta is a plain dict meant for the user's information too: its stubs are wrong here.
        result.meta["period"] = period  # type: ignore[typeddict-unknown-key]
        suite_results[name] = result
        order = {expectation_id(e): i for i, e in enumerate(gx_engine.suites[name].expectations)}
        ordered = sorted(result.results, key=lambda r: order.get(result_expectation_id(r), 1 << 30))
        checks.extend(to_check_result(name, r, frame) for r in ordered)
    return MonthValidation(period, checks, suite_results, time.perf_counter() - started)


def validate_month(
    con: duckdb.DuckDBPyConnection,
    period: str,
    ref: Reference | None = None,
    suites: Iterable[str] = SUITE_NAMES,
    schema: str = "main",
) -> MonthValidation:
    """Read the month's frames from the warehouse and validate them."""
    ref = _reference(ref)
    suites = tuple(suites)
    return run_month(period, read_month(con, period, ref, schema, suites), ref, suites)
