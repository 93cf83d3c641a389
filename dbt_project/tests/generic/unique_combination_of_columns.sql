{#- Fails with one row per combination of `combination_of_columns` that occurs more than once.
    Nulls count as equal (group by semantics), which is what a grain with optional parts needs. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
