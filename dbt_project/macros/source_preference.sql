{#- The order in which competing statements of one coordinate are preferred: the city's own report
    first (over multi-city bulletins), then the latest filed document, then document id and the
    statement's position in its document (deterministic tie-break). -#}
{% macro source_preference_order() -%}
    is_from_city_report desc, filed_at desc, document_id, fact_seq
{%- endmacro %}
