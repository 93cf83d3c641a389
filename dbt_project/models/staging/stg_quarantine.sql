with source as (
    select * from {{ source('raw', 'quarantine') }}
)

select
    period,
    {{ period_year('period') }} as year,
    {{ period_month('period') }} as month,
    file_name,
    doc_id as document_id,
    size_bytes,
    reason as quarantine_reason
from source
