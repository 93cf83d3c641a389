-- Each cumulative (year-to-date) actual value beside the same figure of the previous month of the
-- same year (fct_indicator's previous_month_value): a running total does not fall.
select
    indicator_fact_key,
    period,
    city_code,
    city_name,
    zone_key,
    zone_name,
    indicator_code,
    basis,
    unit,
    value,
    previous_period,
    previous_month_value as previous_value,
    value >= previous_month_value as is_progress,
    evidence,
    correction_key as correction_keys
from {{ ref('fct_indicator') }}
where {{ in_period_window('period') }}
    and basis = 'actual'
    and is_cumulative
    and value is not null
    and previous_month_value is not null
