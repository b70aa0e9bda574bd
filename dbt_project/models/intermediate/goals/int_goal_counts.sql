{{ config(materialized='view') }}

-- Every goal count, from the seven int_goal_counts__* tables. Each group is its own incremental
-- table because as one query (ephemeral CTEs in a union) the seven groups held their hash
-- tables at once and spilled under the 2GB memory limit, about 2.7 x the time of the seven
-- run one by one (benchmarks/README.md, round 6). Stored, the counts are worked out once for
-- indicator_values and the test that each count lands in its period.
{%- set families = [
    'early_help', 'school', 'youth', 'placements', 'casework', 'general_environment',
    'housing_centres',
] %}

{% for family in families -%}
select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
from {{ ref('int_goal_counts__' ~ family) }}
{% if not loop.last %}union all
{% endif -%}
{% endfor %}
