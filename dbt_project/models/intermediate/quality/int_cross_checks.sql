-- The frame of the quality suite cross_checks: the rows of every cross-check model in one long
-- frame, the column `check` naming the check a row belongs to (each expectation of the suite keeps
-- to its own rows with a row_condition on it), in the frame's column names; check_order and
-- check_row give the rows a stable order (which failing rows are shown as samples).
with document_facts as (
    select
        'document_facts' as "check", 1 as check_order,
        row_number() over (partition by period order by file_name, document_id) as check_row,
        period, document_id as doc_id, file_name, fact_count, stated_period
    from {{ ref('int_document_facts') }}
),

zone_within_city as (
    select
        'zone_within_city' as "check", 2 as check_order,
        row_number() over (partition by period order by indicator_fact_key) as check_row,
        period, city_name as city, zone_name as zone, zone_key, indicator_code, basis, unit,
        zone_value, city_value, evidence, city_evidence, correction_keys
    from {{ ref('int_zone_within_city') }}
),

city_growth as (
    -- where the zones add up to the city and every zone states a growth
    select
        'city_growth' as "check", 3 as check_order,
        row_number() over (partition by period order by indicator_fact_key) as check_row,
        period, city_name as city, indicator_code, basis, unit, city_value, zones_value_sum, zone_count,
        stated_yoy_pct, implied_yoy_pct, yoy_gap_pp, sign_agrees, city_evidence, correction_keys
    from {{ ref('int_city_zone_totals') }}
    where basis = 'actual' and stated_yoy_pct is not null and zones_sum_to_city and zones_state_growth
),

cumulative_progress as (
    select
        'cumulative_progress' as "check", 4 as check_order,
        row_number() over (partition by period order by indicator_fact_key) as check_row,
        period, city_name as city, zone_name as zone, zone_key, indicator_code, basis, unit,
        value, previous_period, previous_value, evidence, correction_keys
    from {{ ref('int_cumulative_progress') }}
),

expected_city as (
    select
        'expected_city' as "check", 5 as check_order,
        row_number() over (partition by period order by city_name) as check_row,
        period, city_name as city, has_filed as filed
    from {{ ref('int_expected_cities') }}
),

named_zone as (
    select
        'named_zone' as "check", 6 as check_order,
        row_number() over (
            partition by period order by city_name, zone_name, zone_code, is_zone_resolved
        ) as check_row,
        period, city_name as city, zone_name as zone, zone_code, is_zone_resolved as zone_resolved,
        fact_count, file_name, evidence, is_city_resolved as city_resolved, is_in_reference as in_reference,
        correction_keys
    from {{ ref('int_named_zones') }}
),

checks as (
    select * from document_facts
    union all by name
    select * from zone_within_city
    union all by name
    select * from city_growth
    union all by name
    select * from cumulative_progress
    union all by name
    select * from expected_city
    union all by name
    select * from named_zone
)

select
    "check",
    cast(check_order as integer) as check_order,
    cast(check_row as integer) as check_row,
    cast(period as varchar) as period,
    cast(city as varchar) as city,
    cast(zone as varchar) as zone,
    cast(zone_key as varchar) as zone_key,
    cast(zone_code as varchar) as zone_code,
    cast(indicator_code as varchar) as indicator_code,
    cast(basis as varchar) as basis,
    cast(unit as varchar) as unit,
    cast(doc_id as varchar) as doc_id,
    cast(file_name as varchar) as file_name,
    cast(fact_count as double) as fact_count,
    cast(stated_period as varchar) as stated_period,
    cast(zone_value as double) as zone_value,
    cast(city_value as double) as city_value,
    cast(zones_value_sum as double) as zones_value_sum,
    cast(zone_count as double) as zone_count,
    cast(stated_yoy_pct as double) as stated_yoy_pct,
    cast(implied_yoy_pct as double) as implied_yoy_pct,
    cast(yoy_gap_pp as double) as yoy_gap_pp,
    cast(sign_agrees as boolean) as sign_agrees,
    cast(value as double) as value,
    cast(previous_period as varchar) as previous_period,
    cast(previous_value as double) as previous_value,
    cast(filed as boolean) as filed,
    cast(zone_resolved as boolean) as zone_resolved,
    cast(city_resolved as boolean) as city_resolved,
    cast(in_reference as boolean) as in_reference,
    cast(evidence as varchar) as evidence,
    cast(city_evidence as varchar) as city_evidence,
    cast(correction_keys as varchar) as correction_keys
from checks
