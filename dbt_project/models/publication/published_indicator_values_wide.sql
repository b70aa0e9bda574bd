{{ config(
    alias='indicator_values_wide',
    contract={'enforced': false},
    post_hook="{{ comment_wide_columns(this) }}",
) }}
-- depends_on: {{ ref('published_indicator_values_wide_columns') }}

{#- One row per municipality and cut-off date, one column per indicator, in the catalogue's
    order. The column names come from published_indicator_values_wide_columns when the model
    runs (Danish, short, unique), so a new indicator needs no change here. -#}
{%- set columns = [] -%}
{%- if execute -%}
    {%- set found = run_query(
        "select column_name, indicator_id from "
        ~ ref('published_indicator_values_wide_columns')
        ~ " where indicator_id is not null order by column_position"
    ) -%}
    {%- set columns = found.rows -%}
{%- endif %}

with published as (
    select * from {{ ref('published_indicator_values') }}
)

select
    municipality_code as "Kommunekode",
    any_value(municipality_name) as "Kommune",
    any_value(region_name) as "Region",
    cutoff_date as "Skæringsdato",
    -- every figure of a row shares its cut-off and delivery date, so one flag is the row's
    bool_or(provisional) as "Foreløbig"
    {%- for column_name, indicator_id in columns %}
    {%- if not modules.re.fullmatch('[0-9A-Za-z]+(\.[0-9]+)*', indicator_id)
        or '"' in column_name or "'" in indicator_id %}
        {{ exceptions.raise_compiler_error("unexpected indicator column: " ~ column_name) }}
    {%- endif %},
    max(value) filter (where indicator_id = '{{ indicator_id }}') as "{{ column_name }}"
    {%- endfor %}
from published
group by municipality_code, cutoff_date
order by municipality_code, cutoff_date
