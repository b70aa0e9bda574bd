-- Placement episodes (goal G8, SPEC §9): a person's placements of any type joined while the
-- next starts on or before the day after the previous one ends, the rule of type spells
-- (SPEC §11) without the type. A move from an institution to a foster family the next day is
-- one episode; a day without any placement starts a new one.
with placements as (
    select * from {{ ref('int_measures_classified') }}
    where is_placement
),

ordered as (
    select
        municipality_code,
        person_id,
        measure_id,
        start_date,
        end_date,
        -- The latest day covered by the person's earlier placements (NULL end = open).
        max(coalesce(end_date, date '9999-12-31')) over (
            partition by municipality_code, person_id
            order by start_date, measure_id
            rows between unbounded preceding and 1 preceding
        ) as covered_until
    from placements
),

flagged as (
    select
        *,
        case
            when covered_until is null then 1
            when start_date > covered_until + interval 1 day then 1
            else 0
        end as starts_episode
    from ordered
),

numbered as (
    select
        *,
        sum(starts_episode) over (
            partition by municipality_code, person_id
            order by start_date, measure_id
            rows between unbounded preceding and current row
        ) as episode_number
    from flagged
),

episodes as (
    select
        municipality_code,
        person_id,
        episode_number,
        min(start_date) as episode_start_date,
        -- NULL when any placement of the episode is open.
        case
            when bool_or(end_date is null) then null
            else max(end_date)
        end as episode_end_date,
        count(*) as placements
    from numbered
    group by municipality_code, person_id, episode_number
)

select * from episodes
