-- The campaign's statements pivoted to one row per (period, city, zone, scope, stage) with one
-- column per measure. Each measure is taken from the preferred statement of that measure
-- (source_preference_order: the city's own report, the kind of document most specific to the
-- campaign, the latest filed); the row's document is the one of its most preferred statement.
-- When the month's documents disagree on a measure, the row says so and keeps every statement
-- of the disagreeing measures for a person to judge.
with facts as (
    -- a statement people rejected is no fact (it stays in rpt_fact_lineage)
    select * from {{ ref('int_pipeline_facts') }}
    where correction_status is distinct from 'rejected'
),

disagreeing_measures as (
    select period, city_code, zone_key, scope, stage, measure
    from facts
    group by all
    having count(distinct value) > 1
),

conflicts as (
    select
        facts.period, facts.city_code, facts.zone_key, facts.scope, facts.stage,
        string_agg(
            distinct facts.file_name || '：' || facts.evidence, ' ‖ '
            order by facts.file_name || '：' || facts.evidence
        ) as conflicting_statements
    from facts
    inner join disagreeing_measures as disagreeing
        on {{ same_coordinate(
            'disagreeing', 'facts', ['period', 'city_code', 'zone_key', 'scope', 'stage', 'measure']
        ) }}
    group by all
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
        string_agg(distinct correction_key, ',' order by correction_key) as correction_keys,
        bool_or(is_corrected) as is_corrected,
        string_agg(distinct correction_ids, ',' order by correction_ids) as correction_ids,
        string_agg(
            case when is_corrected then measure || ': ' || original_value || ' → ' || value end, '; '
            order by measure
        ) as corrected_measures,
        count(*) as measure_count,
        any_value(source_count) as source_count
    from chosen
    group by period, city_code, zone_key, scope, stage
)

select
    pivoted.*,
    evidence_per_row.evidence,
    conflicts.conflicting_statements is not null as has_conflicting_sources,
    conflicts.conflicting_statements
from pivoted
left join evidence_per_row
    on {{ same_coordinate('pivoted', 'evidence_per_row', ['period', 'city_code', 'zone_key', 'scope', 'stage']) }}
left join conflicts
    on {{ same_coordinate('pivoted', 'conflicts', ['period', 'city_code', 'zone_key', 'scope', 'stage']) }}
