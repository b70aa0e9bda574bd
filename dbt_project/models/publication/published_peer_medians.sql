{{ config(alias='peer_medians') }}

-- The peer medians for BI and the report, published as `peer_medians`. No suppression of its
-- own: marts.peer_medians is built from published, suppressed values only (its YAML says why).
with peer_medians as (
    select * from {{ ref('peer_medians') }}
)

select
    municipality_code,
    indicator_id,
    cutoff_date,
    median_value,
    municipalities_compared
from peer_medians
