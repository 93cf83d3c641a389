-- The managers' overview: per report month, one row per city plus one province row (city_code
-- null), the headline indicators of the area's own totals (全市开发区 / 全省开发区, actual basis) as
-- columns. Every city gets a row for every month with any facts, so a city that did not report shows
-- up with has_report = false.
-- The headline indicators and their order are the indicators seed's headline_rank; those with
-- headline_target also get their target growth. (The seed is read when the model runs, after dbt
-- has loaded it. At parse time, and when compiling against a warehouse without the seed, such as
-- the linter's in-memory one, the lists are empty and the model renders without the totals.)
-- depends_on: {{ ref('indicators') }}
{% set headline, targets = [], [] %}
{% set indicators = load_relation(ref('indicators')) if execute else none %}
{% if indicators is not none %}
    {% set rows = run_query(
        "select indicator_code, headline_target from " ~ indicators
        ~ " where headline_rank is not null order by headline_rank, indicator_code"
    ) %}
    {% for row in rows %}
        {% do headline.append(row[0]) %}
        {% if row[1] %}{% do targets.append(row[0]) %}{% endif %}
    {% endfor %}
    {% if not headline %}
        {{ exceptions.raise_compiler_error("the indicators seed names no headline indicator (headline_rank)") }}
    {% endif %}
{% endif %}

with facts as (
    select * from {{ ref('fct_indicator') }}
),

periods as (
    select distinct period, year, month from facts
),

areas as (
    select city_code, city_name, false as is_province from {{ ref('dim_city') }}
    union all
    select null as city_code, '全省' as city_name, true as is_province
),

spine as (
    select periods.period, periods.year, periods.month, areas.city_code, areas.city_name, areas.is_province
    from periods
    cross join areas
),

{% if headline %}
totals as (
    select
        period,
        city_code,
        {% for code in headline %}
        max(value) filter (where indicator_code = '{{ code }}' and basis = 'actual') as {{ code }},
        max(yoy_pct) filter (where indicator_code = '{{ code }}' and basis = 'actual') as {{ code }}_yoy_pct{{ "," if targets or not loop.last }}
        {% endfor %}
        {% for code in targets %}
        max(yoy_pct) filter (where indicator_code = '{{ code }}' and basis = 'target') as {{ code }}_target_yoy_pct{{ "," if not loop.last }}
        {% endfor %}
    from facts
    where zone_key is null
    group by period, city_code
),
{% endif %}

activity as (
    select
        period,
        city_code,
        -- the area's own totals people corrected or added (devzone correct / add), for the markers
        string_agg(
            case when zone_key is null and (is_corrected or is_added) then indicator_code || ' ' || basis end,
            ',' order by indicator_code, basis
        ) as corrected_totals,
        string_agg(
            case when zone_key is null and (is_corrected or is_added) then correction_notes end,
            ' ‖ ' order by indicator_code, basis
        ) as correction_notes,
        count(*) as fact_count,
        count(distinct zone_key) as zones_reported,
        count(distinct document_id) as document_count
    from facts
    group by period, city_code
)

select
    {{ surrogate_key(['spine.period', 'spine.city_code']) }} as kpi_key,
    spine.period,
    spine.year,
    spine.month,
    spine.city_code,
    spine.city_name,
    spine.is_province,
    coalesce(activity.fact_count, 0) > 0 as has_report,
    coalesce(activity.fact_count, 0) as fact_count,
    coalesce(activity.zones_reported, 0) as zones_reported,
    coalesce(activity.document_count, 0) as document_count,
    activity.corrected_totals,
    activity.correction_notes{% if headline %},
    {% for code in headline %}
    totals.{{ code }},
    totals.{{ code }}_yoy_pct{{ "," if targets or not loop.last }}
    {% endfor %}
    {% for code in targets %}
    totals.{{ code }}_target_yoy_pct{{ "," if not loop.last }}
    {% endfor %}
    {% endif %}
from spine
{% if headline %}
left join totals
    on totals.period = spine.period
    and totals.city_code is not distinct from spine.city_code
{% endif %}
left join activity
    on activity.period = spine.period
    and activity.city_code is not distinct from spine.city_code
