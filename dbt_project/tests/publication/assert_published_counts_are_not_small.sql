{{ config(meta={'dagster': {'ref': {'name': 'published_indicator_values'}}}) }}

-- The audit of the primary rule, from the published rows alone: no shown row rests on a count
-- from 1 to threshold - 1 (published_indicator_values.yml lists the counts of each unit).
{%- set t = suppression_threshold() %}
with published as (
    select * from {{ ref('published_indicator_values') }}
    where not suppressed and status = 'ok'
)

select municipality_code, cutoff_date, indicator_id
from published
where
    (unit in ('per_1000', 'count', 'per_1000_care_days') and {{ is_small_count('numerator', t) }})
    or (unit = 'percent' and (
        {{ is_small_count('numerator', t) }}
        or {{ is_small_count('denominator', t) }}
        or {{ is_small_count('denominator - numerator', t) }}
    ))
    or (unit = 'days' and {{ is_small_count('denominator', t) }})
    or (unit = 'per_person' and (
        {{ is_small_count('numerator', t) }} or {{ is_small_count('denominator', t) }}
    ))
