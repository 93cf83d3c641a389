{#- The order in which competing statements of one coordinate are preferred, the more specific and
    the more recent first: the city's own report (over multi-city bulletins), then the kind of
    document most specific to the statement (report_kinds seed: the 三个一批 special report for the
    campaign's figures, the monthly report for indicators), then the latest filed document, then
    document id and the statement's position in its document (deterministic tie-break). -#}
{% macro source_preference_order() -%}
    is_from_city_report desc, kind_rank, filed_at desc, document_id, fact_seq
{%- endmacro %}
