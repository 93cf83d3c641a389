with source as (
    select * from {{ source('raw', 'duplicate_files') }}
)

select
    period,
    {{ period_year('period') }} as year,
    {{ period_month('period') }} as month,
    file_name,
    doc_id as document_id,
    duplicate_of as duplicate_of_file_name
from source
