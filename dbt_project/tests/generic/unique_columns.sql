{#- Several unique tests in one: fails with one row per value that occurs more than once in one of
    `columns`, each column on its own (nulls ignored, as in dbt's unique). -#}
{% test unique_columns(model, columns) %}
with tested as (
    select * from {{ model }}
)

{% for column in columns -%}
select
    '{{ column }}' as column_name,
    cast({{ column }} as varchar) as value_field,
    count(*) as n_records
from tested
where {{ column }} is not null
group by {{ column }}
having count(*) > 1
{% if not loop.last %}union all
{% endif %}
{%- endfor %}
{% endtest %}
