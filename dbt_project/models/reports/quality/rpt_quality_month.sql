-- The quality status of each validated month (数据质量): how many expectations were checked, how
-- many passed, failed (ERROR: the month was not published), warned, or warned about facts people
-- have all accepted as printed (acknowledged: shown, not counted as open).
select
    period,
    count(*) as expectations,
    count(*) filter (where is_success) as passed,
    count(*) filter (where status = 'failed') as errors,
    count(*) filter (where status = 'warning') as warnings,
    count(*) filter (where status = 'acknowledged') as acknowledged,
    case
        when count(*) filter (where status = 'failed') > 0 then '未通过'
        when count(*) filter (where status = 'warning') > 0 then '有警告'
        else '通过'
    end as quality_status
from {{ ref('fct_quality_result') }}
group by period
