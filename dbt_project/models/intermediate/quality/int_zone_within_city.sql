-- Each zone's value beside its city's total for the same month, indicator and basis (values
-- stated, shares in % left out): a zone can never exceed its city.
with facts as (
    select * from {{ ref('fct_indicator') }}
    where {{ in_period_window('period') }}
        and value is not null
        and city_code is not null
        and unit is distinct from '%'
),

city_totals as (
    select
        period, city_code, indicator_code, basis, value as city_value, evidence as city_evidence,
        correction_key as city_correction_key
    from facts
    where zone_key is null
)

select
    zones.indicator_fact_key,
    zones.period,
    zones.city_code,
    zones.city_name,
    zones.zone_key,
    coalesce(zones.zone_name, zones.zone_key) as zone_name,
    zones.indicator_code,
    zones.basis,
    zones.unit,
    zones.value as zone_value,
    city_totals.city_value,
    zones.value <= city_totals.city_value as is_within_city,
    zones.evidence,
    city_totals.city_evidence,
    zones.correction_key || ',' || city_totals.city_correction_key as correction_keys
from facts as zones
inner join city_totals
    on city_totals.period = zones.period
    and city_totals.city_code = zones.city_code
    and city_totals.indicator_code = zones.indicator_code
    and city_totals.basis = zones.basis
where zones.zone_key is not null
