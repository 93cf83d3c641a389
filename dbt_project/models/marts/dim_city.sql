-- The 11 prefecture-level cities of Shanxi (from the cities seed). Province-wide facts carry a
-- null city_code and have no row here.
with cities as (
    select * from {{ ref('cities') }}
),

zones as (
    select city_code, count(*) as zone_count from {{ ref('zones') }} group by city_code
),

-- Which months each city's figures have appeared in (links the dimension to the reports).
coverage as (
    select city_code, min(period) as first_period, max(period) as last_period, count(distinct period) as months_reported
    from (
        select city_code, period from {{ ref('int_indicator_facts') }}
        union all
        select city_code, period from {{ ref('int_pipeline_facts') }}
    )
    where city_code is not null
    group by city_code
)

select
    cities.city_code,
    cities.city_name,
    cities.short_name,
    coalesce(zones.zone_count, 0) as zone_count,
    coverage.first_period,
    coverage.last_period,
    coalesce(coverage.months_reported, 0) as months_reported
from cities
left join zones using (city_code)
left join coverage using (city_code)
