with source as (
    select * from {{ source('raw', 'indicator_facts') }}
)

select
    doc_id || ':' || cast(fact_seq as varchar) as fact_id,
    {{ correction_key('indicator', [
        'doc_id',
        'city',
        'coalesce(zone_code, zone)',
        'metric',
        'basis'
    ]) }} as correction_key,
    period,
    {{ period_year('period') }} as year,
    {{ period_month('period') }} as month,
    doc_id as document_id,
    fact_seq,
    file_name,
    city as city_name,
    zone as zone_name,
    zone_code,
    zone_resolved as is_zone_resolved,
    metric as indicator_code,
    cast(value as double) as value,
    unit,
    cast(yoy_pct as double) as yoy_pct,
    basis,
    confidence,
    review_reasons,
    evidence,
    evidence_start,
    evidence_end,
    value_start,
    value_end,
    source_cell,
    source_header
from source
