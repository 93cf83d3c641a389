{#- A join condition: `left` and `right` agree on every one of `columns`, nulls equal to nulls
    (a city total has no zone key, a province row no city code). -#}
{% macro same_coordinate(left, right, columns) -%}
    {%- for column in columns %}
    {% if not loop.first %}and {% endif %}{{ left }}.{{ column }} is not distinct from {{ right }}.{{ column }}
    {%- endfor %}
{%- endmacro %}
