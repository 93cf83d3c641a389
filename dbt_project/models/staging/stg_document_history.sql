with source as (
    select * from {{ source('raw', 'document_history') }}
)

select
    period,
    {{ period_year('period') }} as year,
    {{ period_month('period') }} as month,
    doc_id as document_id,
    file_name,
    report_city,
    filed_at,
    status as document_status,
    superseded_by as superseded_by_document_id,
    coalesce(report_kind, 'monthly_report') as report_kind
from source
