-- One value per coordinate (period, city, zone, indicator, basis). When several statements give
-- the same coordinate (a city's own report and a multi-city bulletin, or one report repeating
-- itself), prefer the city's own report, then the latest filed document, then document id and
-- the statement's order in the document.
with facts as (
    select * from {{ ref('int_indicator_facts') }}
),

ranked as (
    select
        *,
        row_number() over coordinate_by_preference as source_rank,
        count(distinct document_id) over coordinate as source_count,
        count(*) over coordinate as statement_count,
        coalesce(max(value) over coordinate <> min(value) over coordinate, false)
            or coalesce(max(yoy_pct) over coordinate <> min(yoy_pct) over coordinate, false)
            as has_conflicting_sources
    from facts
    window
        coordinate as (partition by period, city_code, zone_key, indicator_code, basis),
        coordinate_by_preference as (
            partition by period, city_code, zone_key, indicator_code, basis
            order by {{ source_preference_order() }}
        )
)

select * exclude (source_rank)
from ranked
where source_rank = 1
