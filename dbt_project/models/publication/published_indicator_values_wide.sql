{{ config(
    alias='indicator_values_wide',
    contract={'enforced': false},
    post_hook="{{ comment_indicator_columns(this) }}",
) }}
-- depends_on: {{ ref('indicators') }}

{#- One column per indicator of the catalogue, in the catalogue's order. The columns come from
    the indicators seed when the model runs, so a new indicator needs no change here. -#}
{%- set indicator_ids = [] -%}
{%- if execute -%}
    {%- set found = run_query(
        "select indicator_id from " ~ ref('indicators') ~ " order by sort_order"
    ) -%}
    {%- set indicator_ids = found.columns[0].values() -%}
{%- endif %}

with published as (
    select * from {{ ref('published_indicator_values') }}
)

select
    municipality_code,
    any_value(municipality_name) as municipality_name,
    cutoff_date,
    -- every figure of a row shares its cut-off and delivery date, so one flag is the row's
    bool_or(provisional) as provisional
    {%- for indicator_id in indicator_ids %}
    {%- if not modules.re.fullmatch('[0-9A-Za-z]+(\.[0-9]+)*', indicator_id) %}
        {{ exceptions.raise_compiler_error("unexpected indicator id: " ~ indicator_id) }}
    {%- endif %},
    max(value) filter (where indicator_id = '{{ indicator_id }}') as "{{ indicator_id }}"
    {%- endfor %}
from published
group by municipality_code, cutoff_date
order by municipality_code, cutoff_date
