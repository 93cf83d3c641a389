-- The campaign's statements pivoted to one row per (period, city, zone, scope, stage) with one
-- column per measure. Each measure is taken from the preferred statement of that measure (the
-- city's own report, then the latest filed document, then document id and statement order); the
-- row's document is the one of its most preferred statement.
with facts as (
    select * from {{ ref('int_pipeline_facts') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by period, city_code, zone_key, scope, stage, measure
            order by {{ source_preference_order() }}
        ) as measure_rank,
        first_value(document_id) over row_by_preference as primary_document_id,
        first_value(zone_name) over row_by_preference as primary_zone_name,
        count(distinct document_id) over (partition by period, city_code, zone_key, scope, stage) as source_count
    from facts
    window row_by_preference as (
        partition by period, city_code, zone_key, scope, stage
        order by {{ source_preference_order() }}
    )
),

chosen as (
    select * from ranked where measure_rank = 1
),

evidence as (
    -- each distinct sentence once, in document order
    select
        period, city_code, zone_key, scope, stage, document_id, evidence,
        min(fact_seq) as first_fact_seq
    from chosen
    group by all
),

evidence_per_row as (
    select
        period, city_code, zone_key, scope, stage,
        string_agg(evidence, ' | ' order by document_id, first_fact_seq) as evidence
    from evidence
    group by all
),

pivoted as (
    select
        period,
        any_value(year) as year,
        any_value(month) as month,
        city_code,
        any_value(city_name) as city_name,
        zone_key,
        any_value(zone_code) as zone_code,
        any_value(primary_zone_name) as zone_name,
        scope,
        stage,
        max(value) filter (where measure = 'projects') as projects,
        max(value) filter (where measure = 'investment') as investment,
        max(value) filter (where measure = 'advanced_projects') as advanced_projects,
        max(value) filter (where measure = 'advanced_investment') as advanced_investment,
        max(value) filter (where measure = 'completed_investment') as completed_investment,
        max(value) filter (where measure = 'industrial_projects') as industrial_projects,
        max(value) filter (where measure = 'industrial_investment') as industrial_investment,
        max(value) filter (where measure = 'expected_annual_output') as expected_annual_output,
        max(value) filter (where measure = 'rate_pct') as reported_rate_pct,
        -- a row is as sure as its least sure measure
        case when bool_or(confidence = 'review') then 'review' else 'high' end as confidence,
        string_agg(distinct review_reasons, ',' order by review_reasons) as review_reasons,
        any_value(primary_document_id) as document_id,
        string_agg(fact_id, ',' order by document_id, fact_seq) as fact_ids,
        count(*) as measure_count,
        any_value(source_count) as source_count
    from chosen
    group by period, city_code, zone_key, scope, stage
)

select
    pivoted.*,
    evidence_per_row.evidence
from pivoted
left join evidence_per_row
    on pivoted.period = evidence_per_row.period
    and pivoted.city_code is not distinct from evidence_per_row.city_code
    and pivoted.zone_key is not distinct from evidence_per_row.zone_key
    and pivoted.scope = evidence_per_row.scope
    and pivoted.stage = evidence_per_row.stage
