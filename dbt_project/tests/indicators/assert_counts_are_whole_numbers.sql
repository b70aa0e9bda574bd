-- published_indicator_values publishes numerators and denominators as BIGINT except for the
-- amounts of 11 (kroner) and G8 (points): a count that is not a whole number in the mart
-- would be rounded by that cast without a word, so it fails here instead.
with indicator_values as (
    select * from {{ ref('indicator_values') }}
)

select municipality_code, cutoff_date, indicator_id
from indicator_values
where
    (unit not in ('ratio', 'points') and numerator <> round(numerator))
    or (unit <> 'ratio' and denominator <> round(denominator))
