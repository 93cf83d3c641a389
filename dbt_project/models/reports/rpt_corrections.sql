-- Every correction key people decided about (devzone correct / add) with what is in force for it,
-- what it was made on (the copy the journal keeps) and whether it still names a statement: an
-- orphaned correction (its report superseded or withdrawn, or no statement of the key any more) is
-- applied to nothing and listed here until someone revokes it (数据质量).
with in_force as (
    select * from {{ ref('int_corrections') }}
),

latest_line as (
    -- the copy of the statement kept by the key's latest correction in force
    select
        journal.correction_key,
        journal.target,
        journal.target_period,
        row_number() over (partition by journal.correction_key order by journal.journal_line desc) as recency
    from {{ ref('stg_corrections') }} as journal
    inner join in_force
        on journal.correction_key = in_force.correction_key
        and list_contains(string_split(in_force.correction_ids, ','), journal.correction_id)
),

statements as (
    select correction_key from {{ ref('int_indicator_facts') }}
    union
    select correction_key from {{ ref('int_pipeline_facts') }}
)

select
    in_force.correction_key,
    latest_line.target_period as period,
    json_extract_string(latest_line.target, '$.fact_type') as fact_type,
    json_extract_string(latest_line.target, '$.file_name') as file_name,
    json_extract_string(latest_line.target, '$.city') as city_name,
    json_extract_string(latest_line.target, '$.zone') as zone_name,
    json_extract_string(latest_line.target, '$.metric') as metric,
    cast(json_extract(latest_line.target, '$.value') as double) as original_value,
    json_extract_string(latest_line.target, '$.evidence') as evidence,
    coalesce(in_force.value, in_force.added_value) as value,
    in_force.yoy_pct,
    in_force.city_name as corrected_city_name,
    in_force.zone_name as corrected_zone_name,
    in_force.verdict,
    in_force.added_correction_id is not null as is_added,
    in_force.correction_ids,
    in_force.correction_notes,
    in_force.corrected_at,
    in_force.correction_key not in (select statements.correction_key from statements) as is_orphaned
from in_force
left join latest_line
    on in_force.correction_key = latest_line.correction_key
    and latest_line.recency = 1
