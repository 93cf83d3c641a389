-- Every report month from 2021-01 to 2035-12. Reports state year-to-date figures, so a month's
-- label is the span it covers (1-6月).
with calendar as (
    select cast(range as date) as month_start
    from range(date '2021-01-01', date '2036-01-01', interval 1 month)
),

months as (
    select
        month_start,
        case when month(month_start) = 1 then '1月' else '1-' || month(month_start) || '月' end as label
    from calendar
),

-- Documents filed per month (links the calendar to the reports).
filed as (
    select period, count(*) as document_count from {{ ref('stg_documents') }} group by period
)

select
    strftime(months.month_start, '%Y-%m') as period,
    cast(year(months.month_start) as integer) as year,
    cast(month(months.month_start) as integer) as month,
    cast(quarter(months.month_start) as integer) as quarter,
    months.label,
    year(months.month_start) || '年' || months.label as label_long,
    month(months.month_start) = 12 as is_year_end,
    month(months.month_start) in (3, 6, 9, 12) as is_quarter_end,
    months.month_start,
    cast(last_day(months.month_start) as date) as month_end,
    strftime(months.month_start - interval 1 month, '%Y-%m') as previous_period,
    strftime(months.month_start - interval 1 year, '%Y-%m') as same_period_last_year,
    coalesce(filed.document_count, 0) as document_count
from months
left join filed on filed.period = strftime(months.month_start, '%Y-%m')
