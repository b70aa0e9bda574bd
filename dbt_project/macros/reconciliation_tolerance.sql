{#- A tolerance of the reconciliation mart (dbt vars reconciliation_tolerance_persons and
    reconciliation_tolerance_pct, defaults in dbt_project.yml), checked before it reaches SQL:
    a number, not negative. -#}
{% macro reconciliation_tolerance(name) -%}
    {%- set value = var(name) -%}
    {%- if value is boolean or value is not number or value < 0 -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a number >= 0, not " ~ value
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
