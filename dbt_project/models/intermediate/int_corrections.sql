-- The corrections in force, one row per correction key: for each key the latest correction of each
-- field (value, yoy, city, zone) and its latest verdict (reject or accept), unless a later revoke
-- withdrew them (the rule devzone/corrections.py in_force states for the command line; a test holds
-- the two equal). The zone set is resolved to its code through the zones seed.
with journal as (
    select * from {{ ref('stg_corrections') }}
),

zones as (
    select zone_code, zone_name from {{ ref('zones') }}
),

cities as (
    select city_code, city_name from {{ ref('cities') }}
),

last_revoke as (
    select correction_key, max(journal_line) as revoked_line
    from journal
    where action = 'revoke'
    group by correction_key
),

latest as (
    select
        journal.*,
        row_number() over (
            partition by journal.correction_key, journal.correction_slot order by journal.journal_line desc
        ) as recency
    from journal
    left join last_revoke
        on journal.correction_key = last_revoke.correction_key
    where journal.action <> 'revoke'
        and journal.journal_line > coalesce(last_revoke.revoked_line, 0)
),

in_force as (
    select * from latest where recency = 1
)

select
    in_force.correction_key,
    max(in_force.new_value) filter (where in_force.action = 'value') as value,
    max(in_force.new_value) filter (where in_force.action = 'yoy') as yoy_pct,
    max(cities.city_name) filter (where in_force.action = 'city') as city_name,
    max(zones.zone_code) filter (where in_force.action = 'zone') as zone_code,
    max(zones.zone_name) filter (where in_force.action = 'zone') as zone_name,
    max(in_force.action) filter (where in_force.correction_slot = 'verdict') as verdict,
    max(in_force.correction_id) filter (where in_force.action = 'add') as added_correction_id,
    max(in_force.new_value) filter (where in_force.action = 'add') as added_value,
    string_agg(in_force.correction_id, ',' order by in_force.journal_line) as correction_ids,
    string_agg(
        in_force.action || ': ' || in_force.correction_reason || ' (' || in_force.corrected_by || ', '
        || strftime(in_force.corrected_at, '%Y-%m-%d %H:%M') || ' UTC)',
        ' ‖ ' order by in_force.journal_line
    ) as correction_notes,
    max(in_force.corrected_at) as corrected_at
from in_force
left join zones
    on in_force.action = 'zone' and zones.zone_name = in_force.new_name
left join cities
    on in_force.action = 'city' and cities.city_name = in_force.new_name
group by in_force.correction_key
