"""Great Expectations 1.x validation of pandas frames: one ephemeral context per process.

GX is imported when the first engine is made (importing it takes seconds; nothing here imports it
at module import time). The engine keeps the suites, the context and one batch definition per
suite, and reuses them for every month. Each suite runs in two passes: every expectation with
result_format BOOLEAN_ONLY, then only the failed ones again with COMPLETE for their failing rows
(GX's cost is per expectation and per detail metric, and most expectations pass).
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from devzone.quality.suites import EXPECTATIONS_DIR, load_suites

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )
    from great_expectations.expectations.expectation import Expectation

PARTIAL_UNEXPECTED = 5
RESULT_FORMAT = {"result_format": "COMPLETE", "partial_unexpected_count": PARTIAL_UNEXPECTED}


def import_gx() -> None:
    """Import Great Expectations quietly (no analytics, no log lines), e.g. ahead of the gate."""
    quiet_gx()
    import great_expectations  # noqa: F401

    quiet_gx()


def quiet_gx() -> None:
    """No analytics, no GX log lines below ERROR, no GX warnings. Call again after importing GX:
    some GX modules set their own logger's level when imported."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    names = ["great_expectations"] + [
        n for n in logging.Logger.manager.loggerDict if n.startswith("great_expectations.")
    ]
    for name in names:
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"great_expectations(\.|$)")
    warnings.filterwarnings("ignore", category=DeprecationWarning, message=r".*(condition_parser|row_condition).*")


def expectation_id(expectation: Expectation) -> str | None:
    """The readable id `build_suite` put in a suite expectation's `meta.expectation`."""
    # GX types Expectation.meta as optional; build_suite gives every expectation one (with its
    # severity and rule, which read_suite_json requires).
    assert expectation.meta is not None, "build_suite gives every expectation a meta"
    return expectation.meta.get("expectation")


def result_expectation_id(result: ExpectationValidationResult) -> str | None:
    """The readable id of the expectation a result is for (GX copies the meta into the result)."""
    config = result.expectation_config
    # Optional in GX's types (a result can be built without one), but every result of
    # Batch.validate carries the configuration of the expectation it evaluated.
    assert config is not None, "a validation result carries its expectation's configuration"
    return config.meta.get("expectation")


class Engine:
    """One ephemeral GX context, the suites, and a batch definition per suite."""

    def __init__(self, folder: Path):
        quiet_gx()
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        quiet_gx()
        self.folder = folder
        self.suites = load_suites(folder)
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        source = self.context.data_sources.add_pandas("devzone_month")
        self.batch_definitions = {
            name: source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("month") for name in self.suites
        }
        self.lock = threading.Lock()

    def validate(self, name: str, frame: pd.DataFrame, parameters: dict) -> ExpectationSuiteValidationResult:
        """Validate in two passes: all expectations BOOLEAN_ONLY, then the failed ones COMPLETE.

        The detailed results replace the first pass's in the suite result, so Data Docs show the
        failing values.
        """
        from great_expectations.core.expectation_suite import ExpectationSuite

        suite = self.suites[name]
        with self.lock:
            batch = self.batch_definitions[name].get_batch(batch_parameters={"dataframe": frame})
            result = batch.validate(suite, expectation_parameters=parameters, result_format="BOOLEAN_ONLY")
            failed = {result_expectation_id(r) for r in result.results if not r.success}
            if failed:
                retry = ExpectationSuite(
                    name=name,
                    expectations=[e.configuration for e in suite.expectations if expectation_id(e) in failed],
                )
                detailed = batch.validate(retry, expectation_parameters=parameters, result_format=RESULT_FORMAT)
                by_id = {result_expectation_id(r): r for r in detailed.results}
                result.results = [by_id.get(result_expectation_id(r), r) for r in result.results]
            return result


_ENGINES: dict[Path, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def engine(folder: str | Path = EXPECTATIONS_DIR) -> Engine:
    """The process's engine for the suites in `folder` (made on first use)."""
    key = Path(folder).resolve()
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = Engine(key)
        return _ENGINES[key]
