{#- The shared placing of extracted statements (indicator or campaign), with people's corrections
    in force applied first (int_corrections: a value, a growth, a city or a zone set; a verdict):
    the original value and growth are kept beside, and correction_status says rejected, corrected
    or accepted (rejected statements stay here and in rpt_fact_lineage, and leave the marts); the facts
    people added (`added_model`, devzone add) join the extracted ones, marked added. Then
    the city code from the cities seed, the zone key from the zone code (or the written name when
    the zone is not in the seeds), the area level, and the filing facts of the stating document
    that decide between competing statements downstream: whether it is the city's own, how specific its kind
    is to these statements (`kind_rank_column` of the report_kinds seed), when it was filed. -#}
{% macro placed_statements(staging_model, statement_columns, kind_rank_column, added_model=none) %}
with extracted as (
    select *, false as is_added from {{ ref(staging_model) }}
    {%- if added_model %}
    union all by name
    select * from {{ ref(added_model) }}
    {%- endif %}
),

corrections as (
    select * from {{ ref('int_corrections') }}
),

facts as (
    select
        extracted.* replace (  -- noqa: RF02
            coalesce(corrections.city_name, extracted.city_name) as city_name,
            coalesce(corrections.zone_name, extracted.zone_name) as zone_name,
            coalesce(corrections.zone_code, extracted.zone_code) as zone_code,
            corrections.zone_code is not null or extracted.is_zone_resolved as is_zone_resolved,
            coalesce(corrections.value, extracted.value) as value
            {%- if 'yoy_pct' in statement_columns %},
            coalesce(corrections.yoy_pct, extracted.yoy_pct) as yoy_pct
            {%- endif %}
        ),
        extracted.city_name as city_name_extracted,
        extracted.value as original_value,
        {%- if 'yoy_pct' in statement_columns %}
        extracted.yoy_pct as original_yoy_pct,
        {%- endif %}
        case
            when corrections.verdict = 'reject' then 'rejected'
            when extracted.is_added then 'added'
            when coalesce(corrections.value, corrections.yoy_pct) is not null
                or coalesce(corrections.city_name, corrections.zone_code) is not null
                then 'corrected'
            when corrections.verdict = 'accept' then 'accepted'
        end as correction_status,
        corrections.correction_ids,
        corrections.correction_notes,
        corrections.corrected_at
    from extracted
    left join corrections
        on extracted.correction_key = corrections.correction_key
),

cities as (
    select * from {{ ref('cities') }}
),

documents as (
    select period, document_id, report_city, report_kind, filed_at from {{ ref('stg_documents') }}
),

report_kinds as (
    select * from {{ ref('report_kinds') }}
)

select
    facts.fact_id,
    facts.correction_key,
    facts.period,
    facts.year,
    facts.month,
    facts.document_id,
    facts.fact_seq,
    facts.file_name,
    facts.city_name_extracted as city_name_written,
    cities.city_code,
    coalesce(cities.city_name, facts.city_name) as city_name,
    facts.zone_name,
    facts.zone_code,
    coalesce(facts.zone_code, 'UNRESOLVED:' || facts.zone_name) as zone_key,
    facts.is_zone_resolved,
    coalesce(facts.zone_code, 'UNRESOLVED:' || facts.zone_name) is null as is_city_total,
    facts.city_name is null as is_province,
    case
        when coalesce(facts.zone_code, facts.zone_name) is not null then 'zone'
        when facts.city_name is not null then 'city'
        else 'province'
    end as area_level,
{%- for column in statement_columns %}
    facts.{{ column }},
{%- endfor %}
    facts.original_value,
    {%- if 'yoy_pct' in statement_columns %}
    facts.original_yoy_pct,
    {%- endif %}
    facts.correction_status,
    coalesce(facts.correction_status = 'corrected', false) as is_corrected,
    facts.is_added,
    facts.correction_ids,
    facts.correction_notes,
    facts.corrected_at,
    facts.confidence,
    facts.review_reasons,
    facts.evidence,
    facts.evidence_start,
    facts.evidence_end,
    facts.value_start,
    facts.value_end,
    facts.source_cell,
    facts.source_header,
    documents.report_city,
    documents.report_kind,
    report_kinds.{{ kind_rank_column }} as kind_rank,
    documents.filed_at,
    coalesce(documents.report_city = facts.city_name, false) as is_from_city_report
from facts
left join cities
    on facts.city_name in (cities.city_name, cities.short_name)
left join documents
    on facts.period = documents.period
    and facts.document_id = documents.document_id
left join report_kinds
    on report_kinds.report_kind = documents.report_kind
{% endmacro %}
