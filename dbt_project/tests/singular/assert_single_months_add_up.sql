-- For cumulative actual figures, a month's value must equal the previous month's value plus its
-- single-month figure, whichever run (full or incremental) wrote the two months. Checks the pairs
-- with a month in the run's window (raw.run_window): the others were checked when their months ran.
{{ config(meta={'dagster': {'ref': {'name': 'fct_indicator'}}}) }}
select
    cur.indicator_fact_key,
    cur.period,
    cur.value,
    prev.value as previous_value,
    cur.single_month_value
from {{ ref('fct_indicator') }} as cur
inner join {{ ref('fct_indicator') }} as prev
    on prev.period = cur.previous_period
    and prev.city_code is not distinct from cur.city_code
    and prev.zone_key is not distinct from cur.zone_key
    and prev.indicator_code = cur.indicator_code
    and prev.basis = cur.basis
where cur.basis = 'actual'
    and cur.is_cumulative
    and cur.value is not null
    and prev.value is not null
    and (cur.single_month_value is null or abs(prev.value + cur.single_month_value - cur.value) > 1e-6)
    and (
        {{ in_run_window('cur.period') }}
        or {{ in_run_window('prev.period') }}
    )
