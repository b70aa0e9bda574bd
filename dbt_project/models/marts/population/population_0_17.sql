-- 0-17-year-old residents per municipality and quarter (FOLK1A, KØN=TOT, CIVILSTAND=TOT, the sum
-- of ALDER 0-17): the one definition of the per-1000 denominator (SPEC §2). indicator_values
-- reads it from here. A quarter with any of the 18 ages missing has no figure: a partial sum
-- would understate the denominator.
with folk1a as (
    select * from {{ ref('stg_statbank__folk1a') }}
    where sex = 'TOT'
        and marital_status = 'TOT'
        and age between 0 and 17
),

summed as (
    select
        municipality_code,
        quarter,
        quarter_start,
        sum(persons) as persons_0_17,
        count(persons) as ages_with_figure
    from folk1a
    group by municipality_code, quarter, quarter_start
)

select
    municipality_code,
    quarter,
    quarter_start,
    cast(persons_0_17 as bigint) as persons_0_17
from summed
where ages_with_figure = 18
