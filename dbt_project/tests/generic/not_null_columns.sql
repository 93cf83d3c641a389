{#- Several not_null tests in one scan: fails with one row per column that holds nulls, with the
    number of null rows (the test's failure count is their sum). `required_when` maps further
    columns to the condition under which they must be set (city_code: city_name_written is not null). -#}
{% test not_null_columns(model, columns, required_when={}) %}
{{ config(fail_calc='coalesce(sum(null_rows), 0)') }}
{%- set checks = [] -%}
{%- for column in columns %}{% do checks.append((column, none)) %}{% endfor -%}
{%- for column, condition in required_when.items() %}{% do checks.append((column, condition)) %}{% endfor %}
with null_counts as (
    select
    {%- for column, condition in checks %}
        count(*) filter (
            where {{ column }} is null{% if condition %} and ({{ condition }}){% endif %}
        ) as nulls_{{ loop.index }}{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
)

{% for column, condition in checks -%}
select
    '{{ column }}' as column_name,
    nulls_{{ loop.index }} as null_rows
from null_counts
where nulls_{{ loop.index }} > 0
{% if not loop.last %}union all
{% endif %}
{%- endfor %}
{% endtest %}
