{#- md5 of the given columns, null-safe: nulls and empty strings hash differently. No dbt_utils here. -#}
{% macro surrogate_key(columns) -%}
  md5(concat_ws('|'
  {%- for column in columns %}, coalesce(cast({{ column }} as varchar), '<null>'){% endfor -%}
  ))
{%- endmacro %}
