-- One row per (period, city, zone, indicator, basis): the preferred statement of the value, with
-- the figures derived from it. Incremental runs rebuild only the months of the run's window (the row
-- of raw.run_window, see macros/period_window.sql); earlier months are read back from this table, never rebuilt.

with batch_values as (
    select * from {{ ref('int_indicator_values') }}
    where {{ in_period_window('period') }}
),

indicators as (
    select indicator_code, cumulative as is_cumulative from {{ ref('indicators') }}
),

batch as (
    select
        batch_values.*,
        indicators.is_cumulative,
        {{ previous_period_same_year('batch_values.period') }} as previous_period
    from batch_values
    left join indicators using (indicator_code)
),

-- The values single_month_value subtracts: last month's rows of the same year. Inside the window
-- they come from this batch; before it (incremental runs only) from the table already built
-- (the pre-hook has removed the window, so no row is read twice).
previous_candidates as (
    select period, city_code, zone_key, indicator_code, basis, value
    from batch
    {% if is_incremental() %}
    union all
    select period, city_code, zone_key, indicator_code, basis, value
    from {{ this }}
    where period < {{ period_start() }}
        and period in (select previous_period from batch)
    {% endif %}
),

with_previous as (
    select
        batch.*,
        previous.period is not null as has_previous_month,
        previous.value as previous_month_value
    from batch
    left join previous_candidates as previous
        on previous.period = batch.previous_period
        and previous.city_code is not distinct from batch.city_code
        and previous.zone_key is not distinct from batch.zone_key
        and previous.indicator_code = batch.indicator_code
        and previous.basis = batch.basis
),

city_totals as (
    select period, city_code, indicator_code, basis, value as city_total_value
    from batch
    where zone_key is null and city_code is not null
),

derived as (
    select
        with_previous.*,
        case
            when with_previous.value is not null
                and with_previous.yoy_pct is not null
                and with_previous.yoy_pct <> -100
                then round(with_previous.value / (1 + with_previous.yoy_pct / 100), 6)
        end as prior_year_value,
        case
            when with_previous.basis <> 'actual' or not coalesce(with_previous.is_cumulative, false) then null
            when with_previous.month = 1 then with_previous.value
            when with_previous.has_previous_month
                then round(with_previous.value - with_previous.previous_month_value, 6)
        end as single_month_value,
        case
            when with_previous.zone_key is not null and city_totals.city_total_value <> 0
                then round(with_previous.value / city_totals.city_total_value * 100, 6)
        end as share_of_city_pct,
        case
            when with_previous.zone_key is not null and with_previous.value is not null
                then rank() over city_zones
        end as city_zone_rank
    from with_previous
    left join city_totals
        on with_previous.zone_key is not null
        and city_totals.period = with_previous.period
        and city_totals.city_code = with_previous.city_code
        and city_totals.indicator_code = with_previous.indicator_code
        and city_totals.basis = with_previous.basis
    window city_zones as (
        partition by
            with_previous.period, with_previous.city_code, with_previous.indicator_code,
            with_previous.basis, with_previous.zone_key is not null and with_previous.value is not null
        order by with_previous.value desc
    )
)

select
    {{ surrogate_key(['period', 'city_code', 'zone_key', 'indicator_code', 'basis']) }} as indicator_fact_key,
    period,
    year,
    month,
    city_code,
    city_name,
    zone_key,
    zone_code,
    zone_name,
    area_level,
    is_city_total,
    is_province,
    indicator_code,
    basis,
    value,
    unit,
    yoy_pct,
    prior_year_value,
    is_cumulative,
    previous_period,
    previous_month_value,
    single_month_value,
    share_of_city_pct,
    cast(city_zone_rank as integer) as city_zone_rank,
    document_id,
    fact_id,
    correction_key,
    is_corrected,
    is_added,
    original_value,
    original_yoy_pct,
    correction_ids,
    correction_notes,
    confidence,
    review_reasons,
    evidence,
    source_cell,
    source_header,
    source_count,
    statement_count,
    has_conflicting_sources,
    conflicting_statements
from derived
