{#- Age in whole years on `day` (SPEC §2). A person born on 29 February turns a year older on
    1 March in a non-leap year (SPEC §11): the month-day comparison does that by itself. -#}
{% macro age_on(birth_date, day) -%}
    (
        year({{ day }}) - year({{ birth_date }})
        - case
            when (month({{ day }}), day({{ day }})) < (month({{ birth_date }}), day({{ birth_date }}))
                then 1
            else 0
        end
    )
{%- endmacro %}

{#- The day a person born on `birth_date` turns `years` old, by the rule of age_on: a
    29 February birthday falls on 1 March in a non-leap year (SPEC §11), where DuckDB's
    `+ interval` would give 28 February. -#}
{% macro birthday(birth_date, years) -%}
    (
        case
            when month({{ birth_date }}) = 2 and day({{ birth_date }}) = 29
                and month(cast({{ birth_date }} + interval ({{ years }}) year as date)) = 2
                and day(cast({{ birth_date }} + interval ({{ years }}) year as date)) = 28
                then cast({{ birth_date }} + interval ({{ years }}) year as date) + 1
            else cast({{ birth_date }} + interval ({{ years }}) year as date)
        end
    )
{%- endmacro %}
