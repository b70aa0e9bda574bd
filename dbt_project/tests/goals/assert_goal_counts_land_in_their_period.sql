{{ config(meta={'dagster': {'ref': {'name': 'indicator_values'}}}) }}

-- indicator_values joins each goal count to its row by municipality, cut-off date and
-- indicator, and labels the row's period from the cut-off calendar. A count whose own period
-- label disagrees (or that finds no row) would be a figure published under the wrong period or
-- silently lost.
with goal_counts as (
    select * from {{ ref('int_goal_counts') }}
),

indicator_values as (
    select * from {{ ref('indicator_values') }}
)

select goal_counts.*
from goal_counts
left join indicator_values
    on
        goal_counts.municipality_code = indicator_values.municipality_code
        and goal_counts.cutoff_date = indicator_values.cutoff_date
        and goal_counts.indicator_id = indicator_values.indicator_id
where indicator_values.period is distinct from goal_counts.period
