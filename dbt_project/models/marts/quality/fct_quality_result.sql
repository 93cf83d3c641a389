-- One row per month and expectation of the quality gate: its severity, whether it held, what was
-- observed and up to five failing rows. Every validated month (the gate replaces a month's rows in
-- raw.check_results each time it validates it); the table is small and rebuilt whole.
select
    {{ surrogate_key(['period', 'suite_name', 'expectation_name']) }} as quality_result_key,
    period,
    run_id,
    suite_name,
    expectation_name,
    rule,
    severity,
    is_success,
    case
        when is_success then 'passed'
        when severity = 'ERROR' then 'failed'
        else 'warning'
    end as status,
    observed_value,
    cast(failing_count as integer) as failing_count,
    failing_sample
from {{ ref('stg_check_results') }}
