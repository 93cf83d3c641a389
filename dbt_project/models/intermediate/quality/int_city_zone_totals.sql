-- Each city total beside the sum, largest value and growth of its zones' values for the same
-- month, indicator and basis (values stated, shares in % left out). Where the zones add up to the
-- city (within var zone_sum_tolerance, the reports' rounding) and every zone states a growth above
-- -100%, the growth they imply, sum(value) / sum(value / (1 + growth)) - 1, can be set against the
-- growth the city states.
with facts as (
    select * from {{ ref('fct_indicator') }}
    where {{ in_period_window('period') }}
        and value is not null
        and city_code is not null
        and unit is distinct from '%'
),

zone_sums as (
    select
        period,
        city_code,
        indicator_code,
        basis,
        count(*) as zone_count,
        round(sum(value), 6) as zones_value_sum,
        max(value) as zones_value_max,
        count(yoy_pct) = count(*) and coalesce(min(yoy_pct) > -100, false) as zones_state_growth,
        sum(value / (1 + yoy_pct / 100)) as zones_prior_year_sum,
        sum(value) as zones_value_sum_exact
    from facts
    where zone_key is not null
    group by period, city_code, indicator_code, basis
),

compared as (
    select
        cities.indicator_fact_key,
        cities.period,
        cities.city_code,
        cities.city_name,
        cities.indicator_code,
        cities.basis,
        cities.unit,
        cities.value as city_value,
        cities.yoy_pct as stated_yoy_pct,
        cities.evidence as city_evidence,
        cities.correction_key as correction_keys,
        zone_sums.zone_count,
        zone_sums.zones_value_sum,
        zone_sums.zones_value_max,
        zone_sums.zones_state_growth,
        cast({{ var('zone_sum_tolerance') }} as double) as sum_tolerance,
        case
            when zone_sums.zones_state_growth and zone_sums.zones_prior_year_sum <> 0
                then (zone_sums.zones_value_sum_exact / zone_sums.zones_prior_year_sum - 1) * 100
        end as implied_yoy_exact
    from facts as cities
    inner join zone_sums
        on zone_sums.period = cities.period
        and zone_sums.city_code = cities.city_code
        and zone_sums.indicator_code = cities.indicator_code
        and zone_sums.basis = cities.basis
    where cities.zone_key is null
)

select
    * exclude (implied_yoy_exact),
    abs(zones_value_sum - city_value) <= sum_tolerance + 1e-9 as zones_sum_to_city,
    round(implied_yoy_exact, 4) as implied_yoy_pct,
    round(stated_yoy_pct - implied_yoy_exact, 4) as yoy_gap_pp,
    not coalesce(stated_yoy_pct * implied_yoy_exact < 0, false) as sign_agrees
from compared
