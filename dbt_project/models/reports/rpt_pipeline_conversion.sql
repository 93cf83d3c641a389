-- The 三个一批 page: per report month, city (or province, city_code null) and scope, the projects
-- and investment of each stage (signed -> started -> in production), the reported conversion rates
-- next to the ones computed from the investments, and a flag when any reported rate is more than
-- the var rate_tolerance_pp (0.01) percentage points off (reports truncate or round to two
-- decimals; both stay within 0.01). The tolerance is a column too: the app and the bulletin say it.
{% set stages = ['signed', 'started', 'in_production'] %}

with pipeline as (
    select * from {{ ref('fct_project_pipeline') }}
    where zone_key is null
),

pivoted as (
    select
        period,
        any_value(year) as year,
        any_value(month) as month,
        city_code,
        any_value(city_name) as city_name,
        scope,
        {% for stage in stages %}
        max(projects) filter (where stage = '{{ stage }}') as {{ stage }}_projects,
        max(investment) filter (where stage = '{{ stage }}') as {{ stage }}_investment,
        max(advanced_projects) filter (where stage = '{{ stage }}') as {{ stage }}_advanced_projects,
        max(advanced_investment) filter (where stage = '{{ stage }}') as {{ stage }}_advanced_investment,
        max(reported_rate_pct) filter (where stage = '{{ stage }}') as {{ stage }}_reported_rate_pct,
        max(computed_rate_pct) filter (where stage = '{{ stage }}') as {{ stage }}_computed_rate_pct,
        max(rate_gap_pp) filter (where stage = '{{ stage }}') as {{ stage }}_rate_gap_pp,
        {% endfor %}
        max(completed_investment) filter (where stage = 'started') as started_completed_investment,
        max(expected_annual_output) filter (where stage = 'in_production') as in_production_expected_annual_output,
        max(projects) filter (where stage = 'all') as all_stages_projects,
        max(investment) filter (where stage = 'all') as all_stages_investment,
        count(*) filter (where round(abs(rate_gap_pp), 6) > {{ var('rate_tolerance_pp') }}) as rates_off,
        count(reported_rate_pct) as rates_reported,
        count(rate_gap_pp) as rates_checked,
        string_agg(stage || '：' || corrected_measures, '；' order by stage) filter (where is_corrected)
            as corrected_measures
    from pipeline
    group by period, city_code, scope
)

select
    {{ surrogate_key(['period', 'city_code', 'scope']) }} as pipeline_conversion_key,
    period,
    year,
    month,
    city_code,
    coalesce(city_name, '全省') as city_name,
    city_code is null as is_province,
    scope,
    {% for stage in stages %}
    {{ stage }}_projects,
    {{ stage }}_investment,
    {{ stage }}_advanced_projects,
    {{ stage }}_advanced_investment,
    {{ stage }}_reported_rate_pct,
    {{ stage }}_computed_rate_pct,
    {{ stage }}_rate_gap_pp,
    {% endfor %}
    started_completed_investment,
    in_production_expected_annual_output,
    all_stages_projects,
    all_stages_investment,
    rates_reported,
    rates_checked,
    rates_off > 0 as rate_gap_flag,
    {{ var('rate_tolerance_pp') }} as rate_tolerance_pp,
    corrected_measures
from pivoted
