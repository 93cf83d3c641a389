-- One row per month and expectation of the quality gate: its severity, whether it held, what was
-- observed and up to five failing rows. Every validated month (the gate replaces a month's rows in
-- raw.check_results each time it validates it); the table is small and rebuilt whole. A warning
-- whose every fact people accepted as printed is acknowledged (fct_quality_finding).
with results as (
    select * from {{ ref('stg_check_results') }}
),

findings as (
    select
        period,
        suite_name,
        expectation_name,
        count(*) filter (where finding_status = 'open') as open_findings,
        count(*) filter (where finding_status = 'acknowledged') as acknowledged_findings
    from {{ ref('fct_quality_finding') }}
    group by period, suite_name, expectation_name
)

select
    {{ surrogate_key(['results.period', 'results.suite_name', 'results.expectation_name']) }} as quality_result_key,
    results.period,
    results.run_id,
    results.suite_name,
    results.expectation_name,
    results.rule,
    results.rule_zh,
    results.severity,
    results.is_success,
    case
        when results.is_success then 'passed'
        when results.severity = 'ERROR' then 'failed'
        when findings.acknowledged_findings > 0 and findings.open_findings = 0 then 'acknowledged'
        else 'warning'
    end as status,
    results.observed_value,
    results.observed_zh,
    cast(results.failing_count as integer) as failing_count,
    results.failing_sample,
    results.failing_keys,
    cast(coalesce(findings.open_findings, 0) as integer) as open_findings,
    cast(coalesce(findings.acknowledged_findings, 0) as integer) as acknowledged_findings
from results
left join findings
    on results.period = findings.period
    and results.suite_name = findings.suite_name
    and results.expectation_name = findings.expectation_name
