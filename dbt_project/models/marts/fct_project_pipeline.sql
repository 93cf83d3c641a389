-- One row per (period, city, zone, scope, stage) of the 三个一批 campaign with its measures, and the
-- conversion rate recomputed from the investments to check the reported one. Incremental runs
-- rebuild only the months of the run's window (raw.run_window, see macros/period_window.sql).

with measures as (
    select * from {{ ref('int_pipeline_measures') }}
    where {{ in_period_window('period') }}
),

-- The base of the rate is the stage's investment, except for projects in production whose 达产率
-- counts the industrial (产业) projects among them: their investment is the base when stated
-- (e.g. 产业项目56个，总投资171.26亿元，达产52个，总投资163.8亿元，达产率95.64% = 163.8 / 171.26).
based as (
    select
        *,
        case
            when stage = 'in_production' and industrial_investment is not null then 'industrial_investment'
            else 'investment'
        end as rate_base,
        case
            when stage = 'in_production' and industrial_investment is not null then industrial_investment
            else investment
        end as rate_base_investment
    from measures
),

computed as (
    select
        *,
        case
            when advanced_investment is not null and rate_base_investment is not null and rate_base_investment <> 0
                then advanced_investment / rate_base_investment * 100
        end as computed_rate_exact
    from based
)

select
    {{ surrogate_key(['period', 'city_code', 'zone_key', 'scope', 'stage']) }} as pipeline_fact_key,
    period,
    year,
    month,
    city_code,
    city_name,
    zone_key,
    zone_name,
    zone_key is null as is_city_total,
    city_code is null and zone_key is null as is_province,
    scope,
    stage,
    projects,
    investment,
    advanced_projects,
    advanced_investment,
    completed_investment,
    industrial_projects,
    industrial_investment,
    expected_annual_output,
    reported_rate_pct,
    rate_base,
    round(computed_rate_exact, 6) as computed_rate_pct,
    round(reported_rate_pct - computed_rate_exact, 6) as rate_gap_pp,
    document_id,
    fact_ids,
    correction_keys,
    is_corrected,
    correction_ids,
    corrected_measures,
    confidence,
    review_reasons,
    evidence,
    measure_count,
    source_count,
    has_conflicting_sources,
    conflicting_statements
from computed
