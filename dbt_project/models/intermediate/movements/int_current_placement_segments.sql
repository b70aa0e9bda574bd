-- A person's current placement (SPEC §3) over time, as segments of days with the same current
-- placement. The current placement can only change on a day a placement starts or the day
-- after one ends, so those days cut each person's placed time into segments; on each segment
-- the current placement is the active placement with the latest start (ties: the greatest
-- measure_id, as numbers when every id is a number). Placement stability (ST1) reads it: a
-- segment that starts the day after the previous one ends, at another site, starts with a move.
with placements as (
    select * from {{ ref('int_measures_classified') }}
    where is_placement
),

-- Every day on which the current placement may change.
change_days as (
    select municipality_code, person_id, start_date as segment_start_date
    from placements
    union
    select municipality_code, person_id, end_date + 1 as segment_start_date
    from placements
    where end_date is not null
),

segments as (
    select
        municipality_code,
        person_id,
        segment_start_date,
        lead(segment_start_date) over (
            partition by municipality_code, person_id order by segment_start_date
        ) - 1 as segment_end_date
    from change_days
),

-- The current placement of each segment, read on its first day (nothing changes inside it).
current_of_segment as (
    select
        segments.municipality_code,
        segments.person_id,
        segments.segment_start_date,
        any_value(segments.segment_end_date) as segment_end_date,
        arg_max(
            struct_pack(
                measure_id := placements.measure_id,
                placement_type := placements.placement_type,
                placement_site_id := placements.placement_site_id
            ),
            struct_pack(
                s := placements.start_date,
                n := coalesce(placements.measure_id_number, 0),
                t := placements.measure_id
            )
        ) as current_placement
    from segments
    inner join placements
        on segments.municipality_code = placements.municipality_code
        and segments.person_id = placements.person_id
        and {{ active_on('segments.segment_start_date', 'placements.start_date', 'placements.end_date') }}
    group by segments.municipality_code, segments.person_id, segments.segment_start_date
),

with_site as (
    select
        municipality_code,
        person_id,
        segment_start_date,
        segment_end_date,
        current_placement.measure_id as measure_id,
        current_placement.placement_type as placement_type,
        current_placement.placement_site_id as placement_site_id,
        -- SPEC §12: the site is placement_site_id when given, otherwise the placement type.
        coalesce(current_placement.placement_site_id, current_placement.placement_type) as site
    from current_of_segment
),

-- Days cut where the current placement did not change belong together: one segment per
-- stretch of the same current placement.
flagged as (
    select
        *,
        case
            when lag(measure_id) over by_start is distinct from measure_id
                or lag(segment_end_date) over by_start is distinct from segment_start_date - 1
                then 1
            else 0
        end as starts_stretch
    from with_site
    window by_start as (partition by municipality_code, person_id order by segment_start_date)
),

numbered as (
    select
        *,
        sum(starts_stretch) over (
            partition by municipality_code, person_id
            order by segment_start_date
            rows between unbounded preceding and current row
        ) as stretch
    from flagged
),

stretches as (
    select
        municipality_code,
        person_id,
        stretch,
        min(segment_start_date) as segment_start_date,
        case when bool_or(segment_end_date is null) then null else max(segment_end_date) end
            as segment_end_date,
        any_value(measure_id) as measure_id,
        any_value(placement_type) as placement_type,
        any_value(placement_site_id) as placement_site_id,
        any_value(site) as site
    from numbered
    group by municipality_code, person_id, stretch
),

with_previous as (
    select
        *,
        lag(segment_end_date) over by_start as previous_segment_end_date,
        lag(site) over by_start as previous_site
    from stretches
    window by_start as (partition by municipality_code, person_id order by segment_start_date)
)

select
    municipality_code,
    person_id,
    segment_start_date,
    segment_end_date,
    measure_id,
    placement_type,
    placement_site_id,
    site,
    -- Placed on the day before (the previous segment ends on it) and at another site today.
    coalesce(
        previous_segment_end_date = segment_start_date - 1 and previous_site <> site, false
    ) as starts_with_move
from with_previous
