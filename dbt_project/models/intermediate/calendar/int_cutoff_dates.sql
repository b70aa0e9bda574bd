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
),

-- Goal indicators measured per calendar year or school year (SPEC §9): the latest year end
-- (31 December) and school year end (31 July) on or before D.
period_ends as (
    select
        *,
        case
            when (month(cutoff_date), day(cutoff_date)) >= (12, 31)
                then make_date(year(cutoff_date), 12, 31)
            else make_date(year(cutoff_date) - 1, 12, 31)
        end as latest_year_end,
        case
            when (month(cutoff_date), day(cutoff_date)) >= (7, 31)
                then make_date(year(cutoff_date), 7, 31)
            else make_date(year(cutoff_date) - 1, 7, 31)
        end as latest_school_year_end
    from dated
),

-- A year is carried by the first cut-off date on or after its last day: the one whose
-- interval (previous cut-off, D] holds that day. The first date of the calendar has no
-- previous date and carries a year only when the year ends on D itself.
carried as (
    select
        *,
        latest_year_end > coalesce(previous_cutoff_date, cast(cutoff_date - interval 1 day as date))
            as carries_calendar_year,
        latest_school_year_end > coalesce(previous_cutoff_date, cast(cutoff_date - interval 1 day as date))
            as carries_school_year
    from period_ends
)

select
    cutoff_date,
    previous_cutoff_date,
    year_before_date,
    half_year_before_date,
    population_quarter_start,
    expense_months_start,
    case when carries_calendar_year then year(latest_year_end) end as calendar_year,
    case
        when carries_school_year
            then (year(latest_school_year_end) - 1) || '/'
                || lpad(cast(year(latest_school_year_end) % 100 as varchar), 2, '0')
    end as school_year,
    case
        when carries_school_year then make_date(year(latest_school_year_end) - 1, 8, 1)
    end as school_year_start,
    case when carries_school_year then latest_school_year_end end as school_year_end
from carried
