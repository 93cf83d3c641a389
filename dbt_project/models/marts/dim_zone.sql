-- Every zone a fact can point at: the seeded zones (resolved) plus the zones the reports name that
-- the seeds do not know (unresolved; keyed 'UNRESOLVED:' || the written name, or by an unknown code).
with seeded as (
    select * from {{ ref('zones') }}
),

cities as (
    select city_code, city_name from {{ ref('cities') }}
),

counties as (
    select county_code, county_name from {{ ref('counties') }}
),

mentions as (
    select zone_key, zone_code, zone_name, city_code, period
    from {{ ref('int_indicator_facts') }}
    where zone_key is not null
    union all
    select zone_key, zone_code, zone_name, city_code, period
    from {{ ref('int_pipeline_facts') }}
    where zone_key is not null
),

seen as (
    select
        zone_key,
        any_value(zone_code) as zone_code,
        mode(zone_name) as written_name,
        min(city_code) as city_code,
        min(period) as first_seen_period,
        max(period) as last_seen_period,
        count(*) as fact_count
    from mentions
    group by zone_key
),

resolved as (
    select
        seeded.zone_code as zone_key,
        seeded.zone_code,
        seeded.zone_name,
        seeded.short_name,
        seeded.aliases,
        seeded.zone_type,
        seeded.level,
        seeded.city_code,
        seeded.county_code,
        true as is_resolved,
        seen.first_seen_period,
        seen.last_seen_period,
        coalesce(seen.fact_count, 0) as fact_count
    from seeded
    left join seen on seeded.zone_code = seen.zone_key
),

unresolved as (
    select
        seen.zone_key,
        seen.zone_code,
        seen.written_name as zone_name,
        seen.written_name as short_name,
        cast(null as varchar) as aliases,
        cast(null as varchar) as zone_type,
        cast(null as varchar) as level,
        seen.city_code,
        cast(null as varchar) as county_code,
        false as is_resolved,
        seen.first_seen_period,
        seen.last_seen_period,
        seen.fact_count
    from seen
    where seen.zone_key not in (select seeded.zone_code from seeded)
),

zones as (
    select * from resolved
    union all
    select * from unresolved
)

select
    zones.zone_key,
    zones.zone_code,
    zones.zone_name,
    zones.short_name,
    zones.aliases,
    zones.zone_type,
    zones.level,
    zones.city_code,
    cities.city_name,
    zones.county_code,
    counties.county_name,
    zones.is_resolved,
    zones.first_seen_period,
    zones.last_seen_period,
    zones.fact_count
from zones
left join cities using (city_code)
left join counties using (county_code)
