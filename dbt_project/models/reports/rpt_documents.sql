-- The documents page: per report month, every landing entry — current, superseded and withdrawn
-- versions from the document history, duplicates of kept files, and quarantined entries with the
-- reason — with the kind of each document and the number of facts read from current documents.
with history as (
    select * from {{ ref('stg_document_history') }}
),

current_documents as (
    select period, document_id, encoding, reader, pages, ocr_seconds, ocr_confidence, size_bytes, stated_period
    from {{ ref('stg_documents') }}
),

quarantine as (
    select * from {{ ref('stg_quarantine') }}
),

duplicates as (
    select * from {{ ref('stg_duplicate_files') }}
),

report_kinds as (
    select report_kind, report_kind_name from {{ ref('report_kinds') }}
),

fact_counts as (
    select period, document_id, 'indicator' as fact_type, count(*) as facts
    from {{ ref('stg_indicator_facts') }} group by all
    union all
    select period, document_id, 'pipeline' as fact_type, count(*) as facts
    from {{ ref('stg_pipeline_facts') }} group by all
),

facts_per_document as (
    select
        period,
        document_id,
        cast(coalesce(sum(facts) filter (where fact_type = 'indicator'), 0) as bigint) as indicator_fact_count,
        cast(coalesce(sum(facts) filter (where fact_type = 'pipeline'), 0) as bigint) as pipeline_fact_count
    from fact_counts
    group by all
),

filed as (
    select
        history.period,
        history.year,
        history.month,
        history.file_name,
        history.document_id,
        history.document_status,
        history.report_city,
        history.filed_at,
        history.superseded_by_document_id,
        successor.file_name as superseded_by_file_name,
        cast(null as varchar) as duplicate_of_file_name,
        history.report_kind,
        current_documents.stated_period,
        current_documents.encoding,
        current_documents.reader,
        current_documents.pages,
        current_documents.ocr_seconds,
        current_documents.ocr_confidence,
        current_documents.size_bytes,
        cast(null as varchar) as quarantine_reason
    from history
    left join history as successor
        on successor.period = history.period
        and successor.document_id = history.superseded_by_document_id
    left join current_documents
        on current_documents.period = history.period
        and current_documents.document_id = history.document_id
    union all
    select
        period,
        year,
        month,
        file_name,
        document_id,
        'quarantined' as document_status,
        cast(null as varchar) as report_city,
        cast(null as timestamp) as filed_at,
        cast(null as varchar) as superseded_by_document_id,
        cast(null as varchar) as superseded_by_file_name,
        cast(null as varchar) as duplicate_of_file_name,
        cast(null as varchar) as report_kind,
        cast(null as varchar) as stated_period,
        cast(null as varchar) as encoding,
        cast(null as varchar) as reader,
        cast(null as integer) as pages,
        cast(null as double) as ocr_seconds,
        cast(null as double) as ocr_confidence,
        size_bytes,
        quarantine_reason
    from quarantine
    union all
    select
        duplicates.period,
        duplicates.year,
        duplicates.month,
        duplicates.file_name,
        duplicates.document_id,
        'duplicate' as document_status,
        kept.report_city,
        cast(null as timestamp) as filed_at,
        cast(null as varchar) as superseded_by_document_id,
        cast(null as varchar) as superseded_by_file_name,
        duplicates.duplicate_of_file_name,
        kept.report_kind,
        cast(null as varchar) as stated_period,
        cast(null as varchar) as encoding,
        cast(null as varchar) as reader,
        cast(null as integer) as pages,
        cast(null as double) as ocr_seconds,
        cast(null as double) as ocr_confidence,
        cast(null as bigint) as size_bytes,
        cast(null as varchar) as quarantine_reason
    from duplicates
    left join history as kept
        on kept.period = duplicates.period
        and kept.document_id = duplicates.document_id
)

select
    {{ surrogate_key(
        ['filed.period', 'filed.document_status', 'filed.file_name', 'filed.document_id']
    ) }} as document_row_key,
    filed.period,
    filed.year,
    filed.month,
    filed.file_name,
    filed.document_id,
    filed.document_status,
    filed.report_city,
    filed.filed_at,
    filed.superseded_by_document_id,
    filed.superseded_by_file_name,
    filed.duplicate_of_file_name,
    filed.report_kind,
    report_kinds.report_kind_name,
    filed.stated_period,
    filed.encoding,
    filed.reader,
    filed.pages,
    filed.ocr_seconds,
    filed.ocr_confidence,
    filed.size_bytes,
    filed.quarantine_reason,
    coalesce(facts_per_document.indicator_fact_count, 0) as indicator_fact_count,
    coalesce(facts_per_document.pipeline_fact_count, 0) as pipeline_fact_count
from filed
left join report_kinds
    on report_kinds.report_kind = filed.report_kind
left join facts_per_document
    on facts_per_document.period = filed.period
    and facts_per_document.document_id = filed.document_id
    and filed.document_status = 'current'
