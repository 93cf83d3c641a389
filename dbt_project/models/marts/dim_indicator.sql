-- The indicators the reports state (from the indicators seed, which the extractor reads too), with
-- how the app and the bulletin present them (count units, display order, headline indicators).
with coverage as (
    -- How often the reports state each indicator (links the dimension to the reports).
    select indicator_code, count(*) as statement_count, min(period) as first_period, max(period) as last_period
    from {{ ref('int_indicator_facts') }}
    group by indicator_code
)

select
    indicators.indicator_code,
    indicators.indicator_name,
    indicators.synonyms,
    indicators.unit,
    indicators.cumulative as is_cumulative,
    indicators.description,
    coalesce(coverage.statement_count, 0) as statement_count,
    coverage.first_period,
    coverage.last_period,
    indicators.count_units,
    indicators.display_order,
    indicators.headline_rank,
    indicators.headline_target as is_headline_target,
    indicators.bulletin_ranked as is_bulletin_ranked
from {{ ref('indicators') }} as indicators
left join coverage using (indicator_code)
