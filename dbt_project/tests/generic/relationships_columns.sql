{#- Several relationships tests in one: `references` maps each column to the model (`to`) and the
    column (`field`) its non-null values must be found in. Fails with one row per orphan row. -#}
{% test relationships_columns(model, references) %}
with children as (
    select * from {{ model }}
),
{%- for column, reference in references.items() %}

parents_{{ loop.index }} as (
    select {{ reference.field }} as value_field from {{ reference.to }}
){{ "," if not loop.last }}
{%- endfor %}

{% for column, reference in references.items() -%}
select
    '{{ column }}' as column_name,
    cast(children.{{ column }} as varchar) as value_field
from children
left join parents_{{ loop.index }}
    on children.{{ column }} = parents_{{ loop.index }}.value_field
where children.{{ column }} is not null
    and parents_{{ loop.index }}.value_field is null
{% if not loop.last %}union all
{% endif %}
{%- endfor %}
{% endtest %}
