-- Each zone named in a month's facts (as written, with the city and code the extractor gave it):
-- how many facts name it, the first file and sentence that do, whether its city was resolved from
-- its own name and whether the zones seed knows it.
with statements as (
    select
        period, city_name, zone_name, zone_code, is_zone_resolved, file_name, evidence, correction_key,
        1 as table_order, document_id, fact_seq
    from {{ ref('stg_indicator_facts') }}
    where zone_name is not null
    union all
    select
        period, city_name, zone_name, zone_code, is_zone_resolved, file_name, evidence, correction_key,
        2 as table_order, document_id, fact_seq
    from {{ ref('stg_pipeline_facts') }}
    where zone_name is not null
)

select
    period,
    city_name,
    zone_name,
    zone_code,
    is_zone_resolved,
    count(*) as fact_count,
    first(file_name order by table_order, document_id, fact_seq) as file_name,
    first(evidence order by table_order, document_id, fact_seq) as evidence,
    coalesce(is_zone_resolved, false) and city_name is not null as is_city_resolved,
    zone_code is not null as is_in_reference,
    string_agg(distinct correction_key, ',' order by correction_key) as correction_keys
from statements
where {{ in_period_window('period') }}
group by period, city_name, zone_name, zone_code, is_zone_resolved
