{#- The run's window of report months, from the vars period_start / period_end (YYYY-MM, inclusive).
    Both are validated so a malformed value fails the run instead of reaching the SQL. -#}

{% macro _checked_period(name) -%}
  {%- set value = var(name) | string | trim -%}
  {%- if not modules.re.fullmatch('[0-9]{4}-(0[1-9]|1[0-2])', value) -%}
    {{ exceptions.raise_compiler_error("var '" ~ name ~ "' must be a month written YYYY-MM, got '" ~ value ~ "'") }}
  {%- endif -%}
  {{- value -}}
{%- endmacro %}

{% macro period_start() -%}
  {%- set start = _checked_period('period_start') -%}
  {%- if start > _checked_period('period_end') -%}
    {{ exceptions.raise_compiler_error("var period_start (" ~ start ~ ") is after period_end (" ~ var('period_end') ~ ")") }}
  {%- endif -%}
  {{- start -}}
{%- endmacro %}

{% macro period_end() -%}
  {{- _checked_period('period_end') -}}
{%- endmacro %}

{#- A SQL predicate keeping `column` inside the window on incremental runs; `true` on full builds. -#}
{% macro in_period_window(column='period') -%}
  {%- set start, end = period_start(), period_end() -%}  {#- validated on every run -#}
  {%- if is_incremental() -%}
    {{ column }} between '{{ start }}' and '{{ end }}'
  {%- else -%}
    true
  {%- endif -%}
{%- endmacro %}

{#- Pre-hook of the incremental marts: clear the window from the existing table first, so a month
    whose rows all disappeared upstream is emptied (delete+insert alone only replaces the months
    present in the new batch). Renders to nothing on a first or full-refresh build. -#}
{% macro delete_period_window() -%}
  {%- if is_incremental() -%}
    delete from {{ this }} where period between '{{ period_start() }}' and '{{ period_end() }}'
  {%- endif -%}
{%- endmacro %}
