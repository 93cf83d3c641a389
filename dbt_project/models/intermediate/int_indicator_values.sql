-- One value per coordinate (period, city, zone, indicator, basis). When several statements give
-- the same coordinate (a city's monthly report and its 三个一批 special report, a multi-city
-- bulletin, or one report repeating itself), keep the preferred one (source_preference_order);
-- when they disagree, say so and keep every statement for a person to judge.
with facts as (
    -- a statement people rejected is no fact (it stays in rpt_fact_lineage)
    select * from {{ ref('int_indicator_facts') }}
    where correction_status is distinct from 'rejected'
),

conflicts as (
    select
        period, city_code, zone_key, indicator_code, basis,
        string_agg(distinct file_name || '：' || evidence, ' ‖ ' order by file_name || '：' || evidence)
            as conflicting_statements
    from facts
    group by period, city_code, zone_key, indicator_code, basis
    having count(distinct value) > 1 or count(distinct yoy_pct) > 1
),

ranked as (
    select
        *,
        row_number() over coordinate_by_preference as source_rank,
        count(distinct document_id) over coordinate as source_count,
        count(*) over coordinate as statement_count,
        (
            coalesce(max(value) over coordinate <> min(value) over coordinate, false)
            or coalesce(max(yoy_pct) over coordinate <> min(yoy_pct) over coordinate, false)
        ) as has_conflicting_sources
    from facts
    window
        coordinate as (partition by period, city_code, zone_key, indicator_code, basis),
        coordinate_by_preference as (
            partition by period, city_code, zone_key, indicator_code, basis
            order by {{ source_preference_order() }}
        )
)

select
    ranked.* exclude (source_rank),  -- noqa: RF02
    conflicts.conflicting_statements
from ranked
left join conflicts
    on {{ same_coordinate('conflicts', 'ranked', ['period', 'city_code', 'zone_key', 'indicator_code', 'basis']) }}
where ranked.source_rank = 1
