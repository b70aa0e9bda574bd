-- Goal indicator Q2 (seed 003, the quality contract's "øget flow i bocentrene"; SPEC §9), per
-- calendar year Y. Adults: persons with a stay at a social-psychiatric housing centre (bocenter)
-- at any time in Y; numerator: those with a stay that ended in Y with destination INDEPENDENT
-- (a more independent home). Counts persons. The exclusions of SPEC §3 are about children and
-- cannot apply: the refugee flag concerns minors, and every resident of a social-psychiatric
-- centre has a mental illness, so a disability exclusion would empty the base.
with scope as (
    select * from {{ ref('int_run_scope') }}
    where calendar_year is not null
),

stays as (
    select * from {{ ref('stg_landing__housing_centre_stays') }}
),

stays_in_year as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        scope.calendar_year,
        stays.person_id,
        stays.destination = 'INDEPENDENT' and year(stays.end_date) = scope.calendar_year
            as moved_out_independent
    from scope
    inner join stays
        on
            scope.municipality_code = stays.municipality_code
            and stays.start_date <= make_date(scope.calendar_year, 12, 31)
            and (stays.end_date is null or stays.end_date >= make_date(scope.calendar_year, 1, 1))
),

residents as (
    select
        municipality_code,
        cutoff_date,
        calendar_year,
        person_id,
        bool_or(coalesce(moved_out_independent, false)) as moved_out_independent
    from stays_in_year
    group by all
)

select
    municipality_code,
    cutoff_date,
    'Q2' as indicator_id,
    cast(calendar_year as varchar) as period,
    count(*) filter (where moved_out_independent) as numerator,
    count(*) as denominator
from residents
group by municipality_code, cutoff_date, calendar_year
