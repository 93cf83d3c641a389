with source as (
    select * from {{ source('raw', 'corrections') }}
)

select
    journal_line,
    correction_id,
    correction_key,
    action,
    case when action in ('reject', 'accept') then 'verdict' else action end as correction_slot,
    new_value,
    new_name,
    reason as correction_reason,
    corrected_by,
    corrected_at,
    target_period,
    target
from source
