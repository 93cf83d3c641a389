{#- SQL expressions over a 'YYYY-MM' period column. -#}
{% macro period_year(column) -%} cast(substr({{ column }}, 1, 4) as integer) {%- endmacro %}
{% macro period_month(column) -%} cast(substr({{ column }}, 6, 2) as integer) {%- endmacro %}
{#- The previous month of the same year; null for January (cumulative figures restart each year). -#}
{% macro previous_period_same_year(column) -%}
  case when {{ period_month(column) }} > 1
       then substr({{ column }}, 1, 5) || lpad(cast({{ period_month(column) }} - 1 as varchar), 2, '0')
  end
{%- endmacro %}
