{#- A measure is active on day d when start_date <= d and (end_date is empty or end_date >= d)
    (SPEC §2; the end date is the last day, inclusive). -#}
{% macro active_on(day, start_column='start_date', end_column='end_date') -%}
    ({{ start_column }} <= {{ day }} and ({{ end_column }} is null or {{ end_column }} >= {{ day }}))
{%- endmacro %}

{#- Active at any time in the window (after, up_to]: it started on or before up_to and had not
    ended on or before `after`. -#}
{% macro active_in_window(after, up_to, start_column='start_date', end_column='end_date') -%}
    ({{ start_column }} <= {{ up_to }} and ({{ end_column }} is null or {{ end_column }} > {{ after }}))
{%- endmacro %}
