"""The frames of a run's months, one per suite, read from the working warehouse.

Each suite validates one relation over the run's months, read with one query (no derivation in
pandas); the rows come by month (`period` first in the order), so a month's rows are the frame
the month alone would give:

| suite | relation |
|---|---|
| extracted_indicator_facts | raw.indicator_facts, plus count_fractional_part on the rows that are counts |
| extracted_pipeline_facts | raw.pipeline_facts, plus count_fractional_part on the rows that count projects |
| fct_indicator | the mart, plus count_fractional_part on the rows that are counts |
| fct_project_pipeline | the mart, plus the zone code, the project counts' largest fractional part and the rate recomputed from the row's own figures |
| cross_checks | the dbt model int_cross_checks (the cross-check models in one long relation) |

Every frame has `correction_keys`: the correction keys of the facts a row is about (a raw
statement's own, read from its staging model; a mart row's statements'; a cross-check row's facts).

A row is a count when it is stated in a count unit, or its indicator counts (the seed's
count_units, read through devzone/extraction/reference.py). The rows come in a fixed order (the
samples of failing rows must not depend on how dbt last wrote a table).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

    from devzone.extraction.reference import Reference

PIPELINE_COUNT_MEASURES = ("projects", "advanced_projects", "industrial_projects")
# The model the cross_checks suite validates (dbt_project/models/intermediate/quality/).
CROSS_CHECKS_MODEL = "int_cross_checks"
# The column of every frame that names the facts a row is about (correction keys, comma-separated):
# the gate records those of its failing rows, and `devzone review` lists them.
KEYS_COLUMN = "correction_keys"


def _fraction(column: str) -> str:
    return f"abs({column} - round({column}))"


def _count_fraction(unit: str, code: str) -> str:
    """count_fractional_part of a row stated in `unit` of the indicator `code` (parameters: the
    count units, the counted indicators)."""
    return (
        f"case when list_contains($count_units::varchar[], {unit}) or list_contains($count_indicators::varchar[], {code}) "
        f"then {_fraction('value')} end as count_fractional_part"
    )


def _keys(schema: str, staging_model: str) -> str:
    """The correction key of each raw statement, as dbt's staging model computes it (one place:
    macros/correction_key.sql), by the statement's document and place."""
    return (
        f"select period, document_id as doc_id, fact_seq, correction_key as {KEYS_COLUMN} from {schema}.{staging_model}"
    )


def frame_queries(schema: str = "main") -> dict[str, str]:
    """The query of each suite's frame; parameters $periods (the months), $count_units, $count_indicators."""
    counted = ", ".join(f"'{m}'" for m in PIPELINE_COUNT_MEASURES)
    return {
        "extracted_indicator_facts": f"""
            select *, {_count_fraction("unit", "metric")}
            from raw.indicator_facts
            left join ({_keys(schema, "stg_indicator_facts")}) using (period, doc_id, fact_seq)
            where list_contains($periods::varchar[], period) order by period, doc_id, fact_seq""",
        "extracted_pipeline_facts": f"""
            select *, case when measure in ({counted}) then {_fraction("value")} end as count_fractional_part
            from raw.pipeline_facts
            left join ({_keys(schema, "stg_pipeline_facts")}) using (period, doc_id, fact_seq)
            where list_contains($periods::varchar[], period) order by period, doc_id, fact_seq""",
        "fct_indicator": f"""
            select *, correction_key as {KEYS_COLUMN}, {_count_fraction("unit", "indicator_code")}
            from {schema}.fct_indicator where list_contains($periods::varchar[], period) order by period, indicator_fact_key""",
        # The rate's base: the stage's investment, or the industrial projects' for projects in
        # production when stated (as the mart computes it); the gate recomputes the rate from the
        # row's figures, so a reported rate that disagrees with them is found.
        "fct_project_pipeline": f"""
            with pipeline as (
                select
                    *,
                    case when starts_with(zone_key, 'UNRESOLVED:') then null else zone_key end as zone_code,
                    greatest({", ".join(_fraction(m) for m in PIPELINE_COUNT_MEASURES)}) as count_fractional_part,
                    case when stage = 'in_production' and industrial_investment is not null
                        then industrial_investment else investment end as rate_base_investment
                from {schema}.fct_project_pipeline
                where list_contains($periods::varchar[], period)
            )
            select
                *,
                case when rate_base_investment > 0
                    then round(advanced_investment / rate_base_investment * 100, 6) end as recomputed_rate_pct,
                case when rate_base_investment > 0
                    then round(reported_rate_pct - advanced_investment / rate_base_investment * 100, 6)
                end as recomputed_rate_gap_pp
            from pipeline
            order by period, pipeline_fact_key""",
        "cross_checks": f"""
            select * from {schema}.{CROSS_CHECKS_MODEL} where list_contains($periods::varchar[], period)
            order by period, check_order, check_row""",
    }


def read_months(
    con: duckdb.DuckDBPyConnection,
    periods: Sequence[str],
    ref: Reference,
    schema: str = "main",
    suites: Sequence[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Each suite's frame over `periods` (the suites named, or all)."""
    parameters = {
        "periods": list(periods),
        "count_units": list(ref.count_units),
        "count_indicators": [i.code for i in ref.indicators if i.is_count],
    }
    frames = {}
    for suite, sql in frame_queries(schema).items():
        if suites is None or suite in suites:
            used = {k: v for k, v in parameters.items() if f"${k}" in sql}
            frames[suite] = con.execute(sql, used).df()
    return frames


def read_month(
    con: duckdb.DuckDBPyConnection,
    period: str,
    ref: Reference,
    schema: str = "main",
    suites: Sequence[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Each suite's frame of one month."""
    return read_months(con, [period], ref, schema, suites)


def codes_present(frames: dict[str, pd.DataFrame]) -> tuple[set[str], set[str]]:
    """(zone codes, indicator codes) named anywhere in the month's frames."""
    zones: set[str] = set()
    indicators: set[str] = set()
    for suite, column in (
        ("extracted_indicator_facts", "zone_code"),
        ("extracted_pipeline_facts", "zone_code"),
        ("fct_indicator", "zone_code"),
        ("fct_project_pipeline", "zone_key"),
    ):
        frame = frames.get(suite)
        if frame is not None and column in frame.columns:
            zones.update(str(z) for z in frame[column].dropna().unique())
    for suite, column in (("extracted_indicator_facts", "metric"), ("fct_indicator", "indicator_code")):
        frame = frames.get(suite)
        if frame is not None and column in frame.columns:
            indicators.update(str(c) for c in frame[column].dropna().unique())
    return zones, indicators
