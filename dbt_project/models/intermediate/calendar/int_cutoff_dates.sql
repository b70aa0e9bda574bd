with calendar as (
    select * from {{ ref('cutoff_calendar') }}
),

dated as (
    select
        cutoff_date,
        -- SPEC §11: the previous date of the calendar, whatever dates a run computes.
        lag(cutoff_date) over (order by cutoff_date) as previous_cutoff_date,
        -- Calendar arithmetic on the same day number, clamped to the month's end (SPEC §11).
        cast(cutoff_date - interval 1 year as date) as year_before_date,
        cast(cutoff_date - interval 6 month as date) as half_year_before_date,
        -- FOLK1A: the latest quarter whose first day is on or before D + 1 day (SPEC §2).
        cast(date_trunc('quarter', cutoff_date + interval 1 day) as date) as population_quarter_start,
        -- Indicator 11: the 3 calendar months ending with D's month.
        cast(date_trunc('month', cutoff_date) - interval 2 month as date) as expense_months_start
    from calendar
)

select * from dated
