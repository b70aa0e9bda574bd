{{ config(meta={'dagster': {'ref': {'name': 'ladder_transitions'}}}) }}

-- SPEC §12: the matrix reproduces indicators 7, 7.1, 7.2 and 8 exactly, on every municipality
-- and cut-off date. 4m, from INSTITUTION (step 6): the row total is 7's denominator, to steps
-- 3-5 are 7.1's numerator, to steps 0-2 are 7.2's. 12m, from HOME_BASED (step 2): the row total
-- is 8's denominator, to steps 3-6 are 8's numerator. A date where one side has figures and
-- the other has none fails too.
with transitions as (
    select * from {{ ref('ladder_transitions') }}
),

indicator_values as (
    select * from {{ ref('indicator_values') }}
    where indicator_id in ('7', '7.1', '7.2', '8') and status = 'ok'
),

from_matrix as (
    select
        municipality_code,
        cutoff_date,
        max(persons) filter (
            where transition_interval = '4m' and from_step_number = 6 and to_step = 'ALL'
        ) as base_7,
        sum(persons) filter (
            where transition_interval = '4m' and from_step_number = 6 and to_step_number in (3, 4, 5)
        ) as numerator_7_1,
        sum(persons) filter (
            where transition_interval = '4m' and from_step_number = 6 and to_step_number in (0, 1, 2)
        ) as numerator_7_2,
        max(persons) filter (
            where transition_interval = '12m' and from_step_number = 2 and to_step = 'ALL'
        ) as base_8,
        sum(persons) filter (
            where transition_interval = '12m' and from_step_number = 2
                and to_step_number in (3, 4, 5, 6)
        ) as numerator_8
    from transitions
    group by municipality_code, cutoff_date
),

from_indicators as (
    select
        municipality_code,
        cutoff_date,
        max(denominator) filter (where indicator_id = '7') as base_7,
        max(numerator) filter (where indicator_id = '7.1') as numerator_7_1,
        max(numerator) filter (where indicator_id = '7.2') as numerator_7_2,
        max(denominator) filter (where indicator_id = '8') as base_8,
        max(numerator) filter (where indicator_id = '8') as numerator_8
    from indicator_values
    group by municipality_code, cutoff_date
)

select
    coalesce(from_matrix.municipality_code, from_indicators.municipality_code)
        as municipality_code,
    coalesce(from_matrix.cutoff_date, from_indicators.cutoff_date) as cutoff_date,
    from_matrix.base_7 as matrix_base_7,
    from_indicators.base_7 as indicator_base_7,
    from_matrix.numerator_7_1 as matrix_7_1,
    from_indicators.numerator_7_1 as indicator_7_1,
    from_matrix.numerator_7_2 as matrix_7_2,
    from_indicators.numerator_7_2 as indicator_7_2,
    from_matrix.base_8 as matrix_base_8,
    from_indicators.base_8 as indicator_base_8,
    from_matrix.numerator_8 as matrix_8,
    from_indicators.numerator_8 as indicator_8
from from_matrix
full outer join from_indicators
    on from_matrix.municipality_code = from_indicators.municipality_code
    and from_matrix.cutoff_date = from_indicators.cutoff_date
where
    from_matrix.base_7 is distinct from from_indicators.base_7
    or from_matrix.numerator_7_1 is distinct from from_indicators.numerator_7_1
    or from_matrix.numerator_7_2 is distinct from from_indicators.numerator_7_2
    or from_matrix.base_8 is distinct from from_indicators.base_8
    or from_matrix.numerator_8 is distinct from from_indicators.numerator_8
