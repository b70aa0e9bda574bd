{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_run_scope() }}",
        tags=['scoped'],
    )
}}

-- The goal counts of the seven ephemeral int_goal_counts__* models, stored once per run
-- scope: indicator_values and the test that each count lands in its period both read them.
-- Ephemeral, they were worked out twice (nationally 23 s for the test alone).
with early_help as (
    select * from {{ ref('int_goal_counts__early_help') }}
),

school as (
    select * from {{ ref('int_goal_counts__school') }}
),

youth as (
    select * from {{ ref('int_goal_counts__youth') }}
),

placements as (
    select * from {{ ref('int_goal_counts__placements') }}
),

casework as (
    select * from {{ ref('int_goal_counts__casework') }}
),

general_environment as (
    select * from {{ ref('int_goal_counts__general_environment') }}
),

housing_centres as (
    select * from {{ ref('int_goal_counts__housing_centres') }}
),

goal_counts as (
    select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
    from early_help
    union all
    select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
    from school
    union all
    select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
    from youth
    union all
    select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
    from placements
    union all
    select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
    from casework
    union all
    select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
    from general_environment
    union all
    select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
    from housing_centres
)

select * from goal_counts
