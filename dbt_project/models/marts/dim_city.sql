-- The 11 prefecture-level cities of Shanxi (from the cities seed). Province-wide facts carry a
-- null city_code and have no row here.
with cities as (
    select * from {{ ref('cities') }}
),

zones as (
    select city_code, count(*) as zone_count from {{ ref('zones') }} group by city_code
)

select
    cities.city_code,
    cities.city_name,
    cities.short_name,
    coalesce(zones.zone_count, 0) as zone_count
from cities
left join zones using (city_code)
