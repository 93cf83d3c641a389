with source as (
    select * from {{ source('raw', 'documents') }}
)

select
    period,
    {{ period_year('period') }} as year,
    {{ period_month('period') }} as month,
    doc_id as document_id,
    file_name,
    size_bytes,
    encoding,
    report_city,
    filed_at,
    status as document_status,
    coalesce(report_kind, 'monthly_report') as report_kind,
    coalesce(is_revision, false) as is_revision,
    stated_period,
    coalesce(reader, 'text') as reader,
    pages,
    ocr_seconds,
    ocr_confidence,
    cast(coalesce(json_array_length(low_confidence_lines), 0) as integer) as low_confidence_line_count,
    raw_text,
    normalised_text
from source
