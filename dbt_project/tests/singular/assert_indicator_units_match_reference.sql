-- A fact whose unit differs from its indicator's reference unit was probably converted wrongly
-- (万元 left unconverted, a share read as an amount). Warns: the figure may still be right.
-- Checks the run's window of months (raw.run_window).
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_indicator'}}}) }}

select
    fct.period,
    fct.city_code,
    fct.zone_key,
    fct.indicator_code,
    fct.basis,
    fct.unit as fact_unit,
    dim.unit as reference_unit,
    fct.fact_id
from {{ ref('fct_indicator') }} as fct
inner join {{ ref('dim_indicator') }} as dim using (indicator_code)
where {{ in_run_window('fct.period') }}
    and fct.unit is distinct from dim.unit
    and fct.value is not null
