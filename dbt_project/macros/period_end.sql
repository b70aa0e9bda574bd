{#- The last day of a period as indicator_values and the goal register write it (SPEC §9):
    'YYYY' a calendar year (31 December), 'YYYY/YY' a school year (31 July of its second year),
    'YYYY-MM-DD' a cut-off date (that day). Anything else gives NULL. -#}
{% macro period_end(period) -%}
    (
        case
            when regexp_full_match({{ period }}, '[0-9]{4}')
                then make_date(try_cast({{ period }} as integer), 12, 31)
            when regexp_full_match({{ period }}, '[0-9]{4}/[0-9]{2}')
                then make_date(try_cast(left({{ period }}, 4) as integer) + 1, 7, 31)
            when regexp_full_match({{ period }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
                then try_cast({{ period }} as date)
        end
    )
{%- endmacro %}
