{{ config(materialized='ephemeral') }}

-- The (municipality, cut-off date) pairs of this run, with the dates each indicator looks at.
with cutoffs as (
    select * from {{ ref('int_cutoff_dates') }}
),

deliveries as (
    select * from {{ ref('int_current_deliveries') }}
),

scope as (
    select
        deliveries.municipality_code,
        deliveries.delivery_date,
        cutoffs.*
    from deliveries
    cross join cutoffs
    where cutoffs.cutoff_date <= current_date
)

select * from scope
where {{ in_run_scope() }}
