-- The cities expected to file in a month: every city that filed facts the month before, and
-- whether it filed this month (named in the month's facts or marts).
with statements as (
    select period, city_name from {{ ref('stg_indicator_facts') }}
    union all
    select period, city_name from {{ ref('stg_pipeline_facts') }}
),

expected as (
    select distinct
        strftime(strptime(period || '-01', '%Y-%m-%d') + interval 1 month, '%Y-%m') as period,
        city_name
    from statements
    where city_name is not null
),

filed as (
    select period, city_name from statements
    union
    select period, city_name from {{ ref('fct_indicator') }}
    union
    select period, city_name from {{ ref('fct_project_pipeline') }}
)

select
    expected.period,
    expected.city_name,
    exists(
        select 1 from filed where filed.period = expected.period and filed.city_name = expected.city_name
    ) as has_filed
from expected
where {{ in_period_window('expected.period') }}
