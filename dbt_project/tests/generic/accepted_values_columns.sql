{#- Several accepted_values tests in one: `values_by_column` maps each column to its accepted
    values. Fails with one row per column and value outside its list (nulls pass, as in dbt's
    accepted_values). -#}
{% test accepted_values_columns(model, values_by_column) %}
with tested as (
    select * from {{ model }}
)

{% for column, values in values_by_column.items() -%}
select
    '{{ column }}' as column_name,
    cast({{ column }} as varchar) as value_field,
    count(*) as n_records
from tested
where {{ column }} not in (
    {%- for value in values %}'{{ value | string | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor -%}
)
group by {{ column }}
{% if not loop.last %}union all
{% endif %}
{%- endfor %}
{% endtest %}
