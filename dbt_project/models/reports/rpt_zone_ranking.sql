-- Zone league tables: per report month and indicator (actual basis), every zone's value and growth
-- with its rank among all zones of the province and among the zones of its city (by value, largest
-- first; by growth as well). Zones that state only a growth have no value rank.
with facts as (
    select * from {{ ref('fct_indicator') }}
    where zone_key is not null and basis = 'actual'
),

zones as (
    select * from {{ ref('dim_zone') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

ranked as (
    select
        facts.*,
        case
            when value is not null
                then rank() over (partition by period, indicator_code, value is not null order by value desc)
        end as rank_in_province,
        case
            when value is not null
                then rank() over (partition by period, indicator_code, city_code, value is not null order by value desc)
        end as rank_in_city,
        case
            when yoy_pct is not null
                then rank() over (partition by period, indicator_code, yoy_pct is not null order by yoy_pct desc)
        end as yoy_rank_in_province,
        count(value) over (partition by period, indicator_code) as zones_ranked_in_province,
        count(value) over (partition by period, indicator_code, city_code) as zones_ranked_in_city
    from facts
)

select
    {{ surrogate_key(
        ['ranked.period', 'ranked.indicator_code', 'ranked.city_code', 'ranked.zone_key']
    ) }} as zone_ranking_key,
    ranked.period,
    ranked.indicator_code,
    indicators.indicator_name,
    ranked.unit,
    ranked.zone_key,
    coalesce(zones.short_name, ranked.zone_name) as zone_name,
    zones.zone_type,
    zones.level as zone_level,
    coalesce(zones.is_resolved, false) as is_zone_resolved,
    ranked.city_code,
    ranked.city_name,
    ranked.value,
    ranked.yoy_pct,
    ranked.share_of_city_pct,
    cast(ranked.rank_in_province as integer) as rank_in_province,
    cast(ranked.rank_in_city as integer) as rank_in_city,
    cast(ranked.yoy_rank_in_province as integer) as yoy_rank_in_province,
    ranked.zones_ranked_in_province,
    ranked.zones_ranked_in_city,
    ranked.is_corrected,
    ranked.is_added,
    ranked.correction_notes
from ranked
left join zones on zones.zone_key = ranked.zone_key
left join indicators on indicators.indicator_code = ranked.indicator_code
