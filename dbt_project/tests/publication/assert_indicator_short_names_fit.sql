{{ config(meta={'dagster': {'ref': {'name': 'published_indicators'}}}) }}

-- A short name becomes a column name of indicator_values_wide ("<id> <short_name_da>"): it
-- must stay short (50 characters) and hold no double quote, which would end the identifier.
with indicators as (
    select * from {{ ref('published_indicators') }}
)

select indicator_id, short_name_da
from indicators
where length(short_name_da) > 50 or contains(short_name_da, '"')
