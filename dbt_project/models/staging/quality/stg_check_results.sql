-- The quality gate's results (raw.check_results, written by the gate after validating a month),
-- renamed; one row per (period, suite_name, expectation_name).
select
    period,
    run_id,
    suite as suite_name,
    expectation as expectation_name,
    rule,
    severity,
    success as is_success,
    observed_value,
    failing_count,
    failing_sample,
    failing_keys,
    rule_zh,
    observed_zh
from {{ source('raw', 'check_results') }}
