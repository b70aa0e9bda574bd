-- Placement episodes (goal G8, SPEC §9): a person's placements of any type joined while the
-- next starts on or before the day after the previous one ends, the rule of type spells
-- (SPEC §11) without the type (macros/join_uncovered_days.sql). A move from an institution to
-- a foster family the next day is one episode; a day without any placement starts a new one.
with placements as (
    select * from {{ ref('int_measures_classified') }}
    where is_placement
),

episodes as (
    {{ join_uncovered_days('placements', ['municipality_code', 'person_id'], 'episode') }}
)

select * from episodes
