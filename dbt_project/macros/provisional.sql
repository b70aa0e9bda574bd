{#- Provisional figures (foreløbige tal, SPEC §13). Case systems register late, so a figure for
    a cut-off date D computed from a delivery made fewer than NOEGLETAL_PROVISIONAL_DAYS
    (default 60) days after D is provisional.

    *Interpretation* of "D less than N days before the delivery date": the whole calendar days
    from D to the delivery date, delivery_date - D, are fewer than N. With N = 60 and a
    delivery on 2024-06-29: D = 2024-04-30 is 60 days before it, so final; a delivery on
    2024-06-28 (59 days) makes it provisional. A cut-off date on or after the delivery date
    (0 days or fewer) is provisional too: the delivery cannot yet hold what happened up to D.
    A figure without a delivery date (never the case for a computed figure) is not marked. -#}
{% macro provisional_days() -%}
    {{ return(env_whole_number('NOEGLETAL_PROVISIONAL_DAYS', '60')) }}
{%- endmacro %}

{#- A whole number >= 0 from the environment (the pipeline sets it from its settings). -#}
{% macro env_whole_number(name, default) -%}
    {%- set raw = env_var(name, default) | string | trim -%}
    {%- if not modules.re.fullmatch('[0-9]+', raw) -%}
        {{ exceptions.raise_compiler_error(name ~ " must be a whole number >= 0, not " ~ raw) }}
    {%- endif -%}
    {{ return(raw | int) }}
{%- endmacro %}

{% macro is_provisional(cutoff_column='cutoff_date', delivery_column='delivery_date') -%}
    coalesce(date_diff('day', {{ cutoff_column }}, {{ delivery_column }}) < {{ provisional_days() }}, false)
{%- endmacro %}
