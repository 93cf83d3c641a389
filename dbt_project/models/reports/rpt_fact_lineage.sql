-- Where every number comes from: each extracted statement (indicator and pipeline) with its
-- document's file, the evidence sentence, the character spans of the sentence and of the number in
-- the document's normalised text (for a spreadsheet's statement, its row and cell in the rendering,
-- and the cell's address and column header), and whether the statement is the one the marts use.
with indicator_facts as (
    select * from {{ ref('int_indicator_facts') }}
),

pipeline_facts as (
    select * from {{ ref('int_pipeline_facts') }}
),

selected_indicators as (
    select period, fact_id from {{ ref('int_indicator_values') }}
),

pipeline_chosen as (
    -- a pipeline statement is used when it is the preferred statement of its measure
    select period, fact_id
    from (
        select
            period, fact_id,
            row_number() over (
                partition by period, city_code, zone_key, scope, stage, measure
                order by {{ source_preference_order() }}
            ) as measure_rank
        from pipeline_facts
    )
    where measure_rank = 1
),

documents as (
    select period, document_id, encoding, reader, ocr_confidence, normalised_text from {{ ref('stg_documents') }}
),

facts as (
    select
        'indicator' as fact_type,
        period, fact_id, correction_key, document_id, fact_seq, file_name, filed_at, report_city,
        city_code, city_name, zone_key, zone_name, area_level,
        indicator_code, basis,
        cast(null as varchar) as scope, cast(null as varchar) as stage, cast(null as varchar) as measure,
        value, unit, yoy_pct, confidence, review_reasons,
        original_value, original_yoy_pct, correction_status, correction_ids, correction_notes, corrected_at,
        evidence, evidence_start, evidence_end, value_start, value_end, source_cell, source_header,
        indicator_facts.fact_id in (
            select selected.fact_id from selected_indicators as selected
            where selected.period = indicator_facts.period
        ) as is_selected
    from indicator_facts
    union all
    select
        'pipeline' as fact_type,
        period, fact_id, correction_key, document_id, fact_seq, file_name, filed_at, report_city,
        city_code, city_name, zone_key, zone_name, area_level,
        cast(null as varchar) as indicator_code, cast(null as varchar) as basis,
        scope, stage, measure,
        value,
        case
            when measure = 'rate_pct' then '%'
            when measure in ('projects', 'advanced_projects', 'industrial_projects') then '个'
            else '亿元'
        end as unit,
        cast(null as double) as yoy_pct,
        confidence,
        review_reasons,
        original_value, cast(null as double) as original_yoy_pct,
        correction_status, correction_ids, correction_notes, corrected_at,
        evidence, evidence_start, evidence_end, value_start, value_end, source_cell, source_header,
        pipeline_facts.fact_id in (
            select chosen.fact_id from pipeline_chosen as chosen
            where chosen.period = pipeline_facts.period
        ) as is_selected
    from pipeline_facts
)

select
    {{ surrogate_key(['facts.period', 'facts.fact_id']) }} as lineage_key,
    facts.fact_type,
    facts.period,
    facts.fact_id,
    facts.correction_key,
    facts.document_id,
    facts.fact_seq,
    facts.file_name,
    documents.encoding,
    documents.reader,
    documents.ocr_confidence,
    facts.filed_at,
    facts.report_city,
    facts.city_code,
    facts.city_name,
    facts.zone_key,
    facts.zone_name,
    facts.area_level,
    facts.indicator_code,
    facts.basis,
    facts.scope,
    facts.stage,
    facts.measure,
    facts.value,
    facts.unit,
    facts.yoy_pct,
    facts.confidence,
    facts.review_reasons,
    facts.correction_status,
    facts.original_value,
    facts.original_yoy_pct,
    facts.correction_ids,
    facts.correction_notes,
    facts.corrected_at,
    facts.evidence,
    facts.evidence_start,
    facts.evidence_end,
    facts.value_start,
    facts.value_end,
    facts.source_cell,
    facts.source_header,
    substr(documents.normalised_text, facts.value_start + 1, facts.value_end - facts.value_start) as value_text,
    facts.is_selected
from facts
left join documents
    on documents.period = facts.period
    and documents.document_id = facts.document_id
