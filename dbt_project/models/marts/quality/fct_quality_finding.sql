-- One row per failing expectation of a month and fact in its failing rows (the gate's failing_keys):
-- what `devzone review` lists and 数据质量 shows. A warning about a fact people accepted as printed
-- (devzone correct KEY --accept, in force in int_corrections) is acknowledged: shown, not open. An
-- ERROR is never acknowledged: the fact is corrected or rejected, or the month stays unpublished.
with results as (
    select * from {{ ref('stg_check_results') }}
    where not is_success and failing_keys is not null
),

corrections as (
    select correction_key, verdict, correction_notes from {{ ref('int_corrections') }}
),

findings as (
    select
        results.period,
        results.suite_name,
        results.expectation_name,
        results.severity,
        results.rule,
        unnest(string_split(results.failing_keys, ',')) as correction_key
    from results
)

select
    {{ surrogate_key([
        'findings.period', 'findings.suite_name', 'findings.expectation_name', 'findings.correction_key'
    ]) }} as quality_finding_key,
    findings.period,
    findings.suite_name,
    findings.expectation_name,
    findings.severity,
    findings.rule,
    findings.correction_key,
    case
        when findings.severity = 'WARN' and corrections.verdict = 'accept' then 'acknowledged'
        else 'open'
    end as finding_status,
    corrections.correction_notes
from findings
left join corrections
    on findings.correction_key = corrections.correction_key
