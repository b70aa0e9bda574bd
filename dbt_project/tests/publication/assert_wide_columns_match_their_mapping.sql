{{ config(meta={'dagster': {'ref': {'name': 'published_indicator_values_wide'}}}) }}

-- indicator_values_wide has exactly the columns of indicator_values_wide_columns, in its
-- order: a BI developer who looks a column up there finds it.
with mapping as (
    select column_position, column_name from {{ ref('published_indicator_values_wide_columns') }}
),

actual as (
    select
        cast(ordinal_position as integer) as column_position,
        column_name
    from information_schema.columns
    where
        table_schema = '{{ ref('published_indicator_values_wide').schema }}'
        and table_name = '{{ ref('published_indicator_values_wide').identifier }}'
        and table_catalog = '{{ ref('published_indicator_values_wide').database }}'
)

select
    coalesce(mapping.column_position, actual.column_position) as column_position,
    mapping.column_name as expected,
    actual.column_name as found
from mapping
full outer join actual on mapping.column_position = actual.column_position
where mapping.column_name is distinct from actual.column_name
