{#- The small-cell threshold of the run (var suppression_threshold, from
    NOEGLETAL_SUPPRESSION_THRESHOLD): a whole number >= 0; 0 switches suppression off. -#}
{% macro suppression_threshold() -%}
    {%- set raw = var('suppression_threshold', 5) | string -%}
    {%- if not modules.re.fullmatch('[0-9]+', raw) -%}
        {{ exceptions.raise_compiler_error("suppression_threshold must be a whole number >= 0, not " ~ raw) }}
    {%- endif -%}
    {{ return(raw | int) }}
{%- endmacro %}

{#- A count that must not be published: 1 .. threshold - 1 (0 is published; NULL is not a
    count). With threshold 0 nothing is small. -#}
{% macro is_small_count(expression, threshold) -%}
    coalesce({{ expression }} >= 1 and {{ expression }} < {{ threshold }}, false)
{%- endmacro %}
