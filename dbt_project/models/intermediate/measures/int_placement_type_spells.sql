-- Type spells (indicator 2): a person's placements of one placement type joined while the next
-- starts on or before the day after the previous one ends (SPEC §5, §11): ends 2023-12-31 and
-- next starts 2024-01-01 -> one spell; starts 2024-01-02 -> two. Overlapping placements of the
-- same type are one spell. Only the same type joins; a spell may cross 2024-01-01.
with placements as (
    select * from {{ ref('int_measures_classified') }}
    where is_placement
),

ordered as (
    select
        municipality_code,
        person_id,
        placement_type,
        measure_id,
        start_date,
        end_date,
        -- The latest day covered by the earlier placements of this type (NULL end = open).
        max(coalesce(end_date, date '9999-12-31')) over (
            partition by municipality_code, person_id, placement_type
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
        end as starts_spell
    from ordered
),

numbered as (
    select
        *,
        sum(starts_spell) over (
            partition by municipality_code, person_id, placement_type
            order by start_date, measure_id
            rows between unbounded preceding and current row
        ) as spell_number
    from flagged
),

spells as (
    select
        municipality_code,
        person_id,
        placement_type,
        spell_number,
        min(start_date) as spell_start_date,
        -- NULL when any placement of the spell is open.
        case
            when bool_or(end_date is null) then null
            else max(end_date)
        end as spell_end_date,
        count(*) as placements
    from numbered
    group by municipality_code, person_id, placement_type, spell_number
)

select * from spells
