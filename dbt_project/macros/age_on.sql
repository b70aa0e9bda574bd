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
