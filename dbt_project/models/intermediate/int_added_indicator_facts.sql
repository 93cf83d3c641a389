-- The indicator facts people added (devzone add) where the extractor missed them, shaped as the
-- extracted statements of stg_indicator_facts: the add in force for each key (int_corrections), in
-- the document it names while that document is current (a superseded or withdrawn report takes
-- its added facts with it, and the add is then orphaned). No sentence position: evidence is the
-- sentence the person quoted, or a note that the fact was added.
with adds as (
    select
        journal.correction_key,
        journal.new_value as value,
        journal.correction_reason,
        journal.corrected_by,
        json_extract_string(journal.target, '$.document_id') as document_id,
        json_extract_string(journal.target, '$.period') as period,
        json_extract_string(journal.target, '$.city') as city_name,
        json_extract_string(journal.target, '$.zone') as zone_name,
        json_extract_string(journal.target, '$.zone_code') as zone_code,
        json_extract_string(journal.target, '$.metric') as indicator_code,
        json_extract_string(journal.target, '$.basis') as basis,
        json_extract_string(journal.target, '$.unit') as unit,
        cast(json_extract(journal.target, '$.yoy_pct') as double) as yoy_pct,
        json_extract_string(journal.target, '$.evidence') as quoted_evidence
    from {{ ref('stg_corrections') }} as journal
    inner join {{ ref('int_corrections') }} as in_force
        on journal.correction_id = in_force.added_correction_id
),

documents as (
    select period, document_id, file_name from {{ ref('stg_documents') }}
)

select
    adds.document_id || ':added:' || adds.correction_key as fact_id,
    adds.correction_key,
    adds.period,
    {{ period_year('adds.period') }} as year,
    {{ period_month('adds.period') }} as month,
    adds.document_id,
    cast(null as integer) as fact_seq,
    documents.file_name,
    adds.city_name,
    adds.zone_name,
    adds.zone_code,
    adds.zone_code is not null as is_zone_resolved,
    adds.indicator_code,
    adds.value,
    adds.unit,
    adds.yoy_pct,
    adds.basis,
    'high' as confidence,
    cast(null as varchar) as review_reasons,
    coalesce(
        adds.quoted_evidence, '（人工补录：' || adds.correction_reason || '，' || adds.corrected_by || '）'
    ) as evidence,
    cast(null as integer) as evidence_start,
    cast(null as integer) as evidence_end,
    cast(null as integer) as value_start,
    cast(null as integer) as value_end,
    cast(null as varchar) as source_cell,
    cast(null as varchar) as source_header,
    true as is_added
from adds
inner join documents
    on adds.period = documents.period
    and adds.document_id = documents.document_id
