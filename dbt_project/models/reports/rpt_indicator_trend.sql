-- Time series for the trend page: every actual value of every area (province, city, zone) and
-- indicator by report month, with the single-month figure and the year-on-year growth.
with facts as (
    select * from {{ ref('fct_indicator') }}
    where basis = 'actual'
),

periods as (
    select period, label, label_long from {{ ref('dim_period') }}
),

zones as (
    select zone_key, short_name from {{ ref('dim_zone') }}
),

indicators as (
    select indicator_code, indicator_name from {{ ref('dim_indicator') }}
)

select
    facts.indicator_fact_key,
    facts.period,
    facts.year,
    facts.month,
    periods.label as period_label,
    periods.label_long as period_label_long,
    facts.area_level,
    facts.city_code,
    coalesce(facts.city_name, '全省') as city_name,
    facts.zone_key,
    coalesce(zones.short_name, facts.zone_name) as zone_name,
    facts.indicator_code,
    indicators.indicator_name,
    facts.unit,
    facts.value,
    facts.single_month_value,
    facts.yoy_pct,
    facts.prior_year_value,
    facts.is_corrected,
    facts.is_added,
    facts.correction_notes
from facts
left join periods on periods.period = facts.period
left join zones on zones.zone_key = facts.zone_key
left join indicators on indicators.indicator_code = facts.indicator_code
