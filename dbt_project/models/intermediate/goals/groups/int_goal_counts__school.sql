-- Goal indicators G4 and G5 (seeds 000 and 003, "Kvalificerende skolegang"; SPEC §9), per
-- school year Y (1 August-31 July), carried by the cut-off date that closes Y.
-- G4: persons aged 6-17 on 31 July of Y (the end of Y, as G5 reads "aged 17 on 31 Jul of Y")
--     with a school_absence row for Y in a municipal school and a HOME_BASED, PLACEMENT or
--     ORDER measure active at any time during Y; numerator: concerning absence (absence_pct >=
--     10) in a municipal-school row of Y (several rows: any). Excluded during Y.
-- G5: persons aged 17 on 31 July of Y with a HOME_BASED or PLACEMENT measure active at any
--     time during Y - 1 or Y - 2 (1 August of Y - 2 to 31 July of Y - 1); numerator: a
--     school_completion row with completed_9th_grade for a school year up to and including Y.
--     Excluded during Y - 2 to Y.
with scope as (
    select * from {{ ref('int_run_scope') }}
    where school_year is not null
),

school_absence as (
    select * from {{ ref('stg_landing__school_absence') }}
),

school_completion as (
    select * from {{ ref('stg_landing__school_completion') }}
),

measures as (
    select * from {{ ref('int_measures_classified') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

disability_measures as (
    select * from {{ ref('int_measures_classified') }}
    where disability
),

school_years as (
    select
        municipality_code,
        cutoff_date,
        school_year,
        -- Windows (after, up_to] of active_in_window.
        cast(school_year_start - interval 1 day as date) as year_after,
        school_year_end as year_up_to,
        cast(school_year_start - interval 2 year - interval 1 day as date) as two_before_after,
        cast(school_year_start - interval 1 day as date) as two_before_up_to
    from scope
),

pupils as (
    select
        school_years.municipality_code,
        school_years.cutoff_date,
        school_years.school_year,
        school_years.year_after,
        school_years.year_up_to,
        school_absence.person_id,
        bool_or(school_absence.absence_pct >= 10) as has_concerning_absence
    from school_years
    inner join school_absence
        on
            school_years.municipality_code = school_absence.municipality_code
            and school_years.school_year = school_absence.school_year
            and school_absence.municipal_school
    group by all
),

pupils_with_measures as (
    select pupils.*
    from pupils
    inner join persons
        on
            pupils.municipality_code = persons.municipality_code
            and pupils.person_id = persons.person_id
    where
        {{ age_on('persons.birth_date', 'pupils.year_up_to') }} between 6 and 17
        and exists (
            select 1
            from measures
            where
                measures.municipality_code = pupils.municipality_code
                and measures.person_id = pupils.person_id
                and (measures.is_home_based or measures.is_placement or measures.is_order)
                and {{ active_in_window('pupils.year_after', 'pupils.year_up_to', 'measures.start_date', 'measures.end_date') }}
        )
        and not {{ excluded_in_window(
            'persons', 'disability_measures', 'pupils.municipality_code', 'pupils.person_id',
            'pupils.year_after', 'pupils.year_up_to'
        ) }}
),

indicator_g4 as (
    select
        municipality_code,
        cutoff_date,
        'G4' as indicator_id,
        school_year as period,
        count(*) filter (where has_concerning_absence) as numerator,
        count(*) as denominator
    from pupils_with_measures
    group by municipality_code, cutoff_date, school_year
),

helped_before as (
    select distinct
        school_years.municipality_code,
        school_years.cutoff_date,
        school_years.school_year,
        school_years.two_before_after,
        school_years.year_up_to,
        measures.person_id
    from school_years
    inner join measures
        on
            school_years.municipality_code = measures.municipality_code
            and (measures.is_home_based or measures.is_placement)
            and {{ active_in_window('school_years.two_before_after', 'school_years.two_before_up_to', 'measures.start_date', 'measures.end_date') }}
),

seventeen_year_olds as (
    select
        helped_before.*,
        exists (
            select 1
            from school_completion
            where
                school_completion.municipality_code = helped_before.municipality_code
                and school_completion.person_id = helped_before.person_id
                and school_completion.completed_9th_grade
                and school_completion.school_year <= helped_before.school_year
        ) as has_completed_9th_grade
    from helped_before
    inner join persons
        on
            helped_before.municipality_code = persons.municipality_code
            and helped_before.person_id = persons.person_id
    where
        {{ age_on('persons.birth_date', 'helped_before.year_up_to') }} = 17
        and not {{ excluded_in_window(
            'persons', 'disability_measures', 'helped_before.municipality_code',
            'helped_before.person_id', 'helped_before.two_before_after', 'helped_before.year_up_to'
        ) }}
),

indicator_g5 as (
    select
        municipality_code,
        cutoff_date,
        'G5' as indicator_id,
        school_year as period,
        count(*) filter (where has_completed_9th_grade) as numerator,
        count(*) as denominator
    from seventeen_year_olds
    group by municipality_code, cutoff_date, school_year
)

select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
from indicator_g4
union all
select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
from indicator_g5
