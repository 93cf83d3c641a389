{#- A statement's correction key: what a person's correction names (devzone correct KEY). It is the
    statement's document (SHA-256 of its bytes) and its meaning (fact type, city and zone as written
    or resolved, and the indicator and basis, or the campaign's scope, stage and measure), never its
    place in the document: re-running the month or numbering the statements differently keeps it.
    16 hex digits of a SHA-256. -#}
{% macro correction_key(fact_type, meaning_columns) -%}
left(sha256(
    '{{ fact_type }}'
    {%- for column in meaning_columns %}
    || '|' || coalesce(cast({{ column }} as varchar), '')
    {%- endfor %}
), 16)
{%- endmacro %}
