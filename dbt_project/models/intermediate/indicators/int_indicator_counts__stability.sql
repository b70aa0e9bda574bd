{{ config(materialized='ephemeral') }}

-- ST1, placement stability (SPEC §12): moves and care days in the window (D - 1 year, D] of
-- every person in care in it. A move is a day d of the window on which the person was placed
-- on d - 1 and on d and the site of the current placement changed, and the person is under 18
-- on d; care days are the days of the window on which the person is placed and under 18.
-- Excluded: unaccompanied refugee minors and persons with a disability measure active at any
-- time in the window (disabled_in_year).
with scope as (
    select * from {{ ref('int_run_scope') }}
),

statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

segments as (
    select * from {{ ref('int_current_placement_segments') }}
),

counted as (
    select
        statuses.municipality_code,
        statuses.cutoff_date,
        statuses.person_id,
        -- The days of the window on which the person is under 18: (D - 1 year, D] up to the day
        -- before the 18th birthday.
        scope.year_before_date + 1 as first_day,
        least(statuses.cutoff_date, {{ birthday('statuses.birth_date', 18) }} - 1) as last_day
    from statuses
    inner join scope
        on statuses.municipality_code = scope.municipality_code
        and statuses.cutoff_date = scope.cutoff_date
    where
        not statuses.is_unaccompanied_refugee
        and not statuses.disabled_in_year
),

per_segment as (
    select
        counted.municipality_code,
        counted.cutoff_date,
        greatest(
            0,
            datediff(
                'day',
                greatest(segments.segment_start_date, counted.first_day),
                least(coalesce(segments.segment_end_date, counted.last_day), counted.last_day)
            ) + 1
        ) as care_days,
        case
            when segments.starts_with_move
                and segments.segment_start_date between counted.first_day and counted.last_day
                then 1
            else 0
        end as moves
    from counted
    inner join segments
        on counted.municipality_code = segments.municipality_code
        and counted.person_id = segments.person_id
        and segments.segment_start_date <= counted.last_day
        and (segments.segment_end_date is null or segments.segment_end_date >= counted.first_day)
    where counted.first_day <= counted.last_day
)

select
    municipality_code,
    cutoff_date,
    'ST1' as indicator_id,
    sum(moves) as numerator,
    sum(care_days) as denominator
from per_segment
group by municipality_code, cutoff_date
