-- Type spells (indicator 2): a person's placements of one placement type joined while the next
-- starts on or before the day after the previous one ends (SPEC §5, §11;
-- macros/join_uncovered_days.sql): ends 2023-12-31 and next starts 2024-01-01 -> one spell;
-- starts 2024-01-02 -> two. Overlapping placements of the same type are one spell. Only the
-- same type joins; a spell may cross 2024-01-01.
with placements as (
    select * from {{ ref('int_measures_classified') }}
    where is_placement
),

spells as (
    {{ join_uncovered_days('placements', ['municipality_code', 'person_id', 'placement_type'], 'spell') }}
)

select * from spells
