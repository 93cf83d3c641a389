-- One row per current report document with its normalised text: the text that the evidence spans
-- of rpt_fact_lineage (evidence_start/end, value_start/end) index, so the app can open a report with
-- a sentence marked. Incremental by month like the fact marts: a report's text is written once, not
-- copied again on every run.
select
    period,
    year,
    month,
    document_id,
    file_name,
    report_city,
    report_kind,
    is_revision,
    stated_period,
    encoding,
    reader,
    pages,
    ocr_seconds,
    ocr_confidence,
    low_confidence_line_count,
    size_bytes,
    filed_at,
    normalised_text
from {{ ref('stg_documents') }}
where {{ in_period_window('period') }}
