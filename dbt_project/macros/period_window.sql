{#- The run's window of report months (YYYY-MM, inclusive) is data, not vars: the one row of
    raw.run_window, which the Dagster dbt asset writes just before `dbt build`
    (devzone/warehouse.py, record_run_window). The SQL below reads it at run time, so what dbt
    compiles is the same every month and its partial parse survives from one run to the next.
    No row: every month. A malformed row fails the statement that reads it (DuckDB's error()),
    before anything is deleted. The tests' `where` (dbt_project.yml) reads the same table. -#}

{% macro run_window_bound(bound) -%}
  {%- set default = {'period_start': '0000-01', 'period_end': '9999-12'}[bound] -%}
  {%- set month = "'^[0-9]{4}-(0[1-9]|1[0-2])$'" -%}
    (
        select
            case
                when count(*) = 0 then '{{ default }}'
                when count(*) = 1
                    and bool_and(
                        regexp_matches(period_start, {{ month }})
                        and regexp_matches(period_end, {{ month }})
                        and period_start <= period_end
                    )
                    then any_value({{ bound }})
                else error(
                    'raw.run_window must hold at most one row of two months written YYYY-MM, '
                    || 'period_start <= period_end'
                )
            end
        from raw.run_window
    )
{%- endmacro %}

{#- The first and the last month of the window, as SQL expressions. -#}
{% macro period_start() -%} {{ run_window_bound('period_start') }} {%- endmacro %}
{% macro period_end() -%} {{ run_window_bound('period_end') }} {%- endmacro %}

{#- A SQL predicate keeping `column` inside the window (the singular tests check the window only). -#}
{% macro in_run_window(column='period') -%}
    {{ column }} between {{ period_start() }} and {{ period_end() }}
{%- endmacro %}

{#- A SQL predicate keeping `column` inside the window on incremental runs; `true` on full builds. -#}
{% macro in_period_window(column='period') -%}
  {%- if is_incremental() -%}
    {{ in_run_window(column) }}
  {%- else -%}
    true
  {%- endif -%}
{%- endmacro %}

{#- Pre-hook of the incremental marts: clear the window from the existing table first, so a month
    whose rows all disappeared upstream is emptied (delete+insert alone only replaces the months
    present in the new batch). Renders to nothing on a first or full-refresh build. -#}
{% macro delete_period_window() -%}
  {%- if is_incremental() -%}
    delete from {{ this }} where period between {{ period_start() }} and {{ period_end() }}
  {%- endif -%}
{%- endmacro %}
