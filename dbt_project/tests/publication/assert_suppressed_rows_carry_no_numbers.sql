{{ config(meta={'dagster': {'ref': {'name': 'published_indicator_values'}}}) }}

-- A suppressed figure is withheld whole: no numerator, denominator, value or interval (and
-- never a 0 in their place).
with published as (
    select * from {{ ref('published_indicator_values') }}
)

select municipality_code, cutoff_date, indicator_id
from published
where
    suppressed
    and (
        numerator is not null
        or denominator is not null
        or numerator_amount is not null
        or denominator_amount is not null
        or value is not null
        or ci_low is not null
        or ci_high is not null
    )
