-- Goal indicators for young people (seeds 000 and 001; SPEC §9). "A measure" is any row of
-- measures.csv, whatever its category (the word SPEC §9 uses).
-- G6a/G6b, calendar year Y: persons with a measure active at any time in Y - 1 or Y who are
--     aged 14-17 on at least one day of Y (G6b's base); of those, the persons charged in Y with
--     a SERIOUS or VIOLENT offence while aged 14-17, on a date strictly after the start of
--     their first measure (counted once each; G6a's count and G6b's numerator). Excluded in
--     Y - 1 and Y.
-- G7a/G7b, cut-off date D: persons aged 16 or older on D whose measures that started on or
--     before D have all ended, the last in (D - 2 years, D - 1 year] ("12-24 months before
--     D"); numerator: a youth education started (G7a) / completed (G7b) on or before D.
--     Excluded in (D - 2 years, D].
-- S6, calendar year Y: persons who start a youth education in Y while aged 15-24 and have a
--     measure that started on or before 31 December of Y; numerator: their number in Y,
--     denominator: their number in the base year of the indicators seed (2016, seed 001), so
--     the mart's value is the change in percent. Excluded in the year counted.
with scope as (
    select * from {{ ref('int_run_scope') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

measures as (
    select * from {{ ref('int_measures_classified') }}
),

charges as (
    select * from {{ ref('stg_landing__charges') }}
),

youth_education as (
    select * from {{ ref('stg_landing__youth_education') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

disability_measures as (
    select * from {{ ref('int_measures_classified') }}
    where disability
),

calendar_years as (
    select
        municipality_code,
        cutoff_date,
        calendar_year,
        make_date(calendar_year, 1, 1) as year_start,
        make_date(calendar_year, 12, 31) as year_end,
        -- Y - 1 and Y as the window (after, up_to] of active_in_window.
        make_date(calendar_year - 2, 12, 31) as two_years_after
    from scope
    where calendar_year is not null
),

first_measure_starts as (
    select
        municipality_code,
        person_id,
        min(start_date) as first_measure_start
    from measures
    group by municipality_code, person_id
),

recipients_14_17 as (
    select distinct
        calendar_years.municipality_code,
        calendar_years.cutoff_date,
        calendar_years.calendar_year,
        calendar_years.year_start,
        calendar_years.year_end,
        measures.person_id,
        persons.birth_date
    from calendar_years
    inner join measures
        on
            calendar_years.municipality_code = measures.municipality_code
            and {{ active_in_window('calendar_years.two_years_after', 'calendar_years.year_end', 'measures.start_date', 'measures.end_date') }}
    inner join persons
        on
            measures.municipality_code = persons.municipality_code
            and measures.person_id = persons.person_id
    where
        {{ age_on('persons.birth_date', 'calendar_years.year_start') }} <= 17
        and {{ age_on('persons.birth_date', 'calendar_years.year_end') }} >= 14
        and not {{ excluded_in_window(
            'persons', 'disability_measures', 'calendar_years.municipality_code',
            'measures.person_id', 'calendar_years.two_years_after', 'calendar_years.year_end'
        ) }}
),

charged as (
    select
        recipients_14_17.*,
        exists (
            select 1
            from charges
            inner join first_measure_starts
                on
                    charges.municipality_code = first_measure_starts.municipality_code
                    and charges.person_id = first_measure_starts.person_id
            where
                charges.municipality_code = recipients_14_17.municipality_code
                and charges.person_id = recipients_14_17.person_id
                and charges.severity in ('SERIOUS', 'VIOLENT')
                and charges.charge_date between recipients_14_17.year_start
                and recipients_14_17.year_end
                and charges.charge_date > first_measure_starts.first_measure_start
                and {{ age_on('recipients_14_17.birth_date', 'charges.charge_date') }} between 14 and 17
        ) as was_charged
    from recipients_14_17
),

indicator_g6 as (
    select
        municipality_code,
        cutoff_date,
        unnest(['G6a', 'G6b']) as indicator_id,
        cast(calendar_year as varchar) as period,
        count(*) filter (where was_charged) as numerator,
        unnest([null, count(*)]) as denominator
    from charged
    group by municipality_code, cutoff_date, calendar_year
),

-- G7: the day each person's measures (started on or before D) ended; NULL while any is open
-- on D or ends after D.
last_measure_ends as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        measures.person_id,
        case
            when bool_or(measures.end_date is null or measures.end_date > scope.cutoff_date)
                then null
            else max(measures.end_date)
        end as last_end_date
    from scope
    inner join measures
        on
            scope.municipality_code = measures.municipality_code
            and measures.start_date <= scope.cutoff_date
    group by scope.municipality_code, scope.cutoff_date, measures.person_id
),

former_recipients as (
    select
        last_measure_ends.municipality_code,
        last_measure_ends.cutoff_date,
        last_measure_ends.person_id,
        exists (
            select 1
            from youth_education
            where
                youth_education.municipality_code = last_measure_ends.municipality_code
                and youth_education.person_id = last_measure_ends.person_id
                and youth_education.start_date <= last_measure_ends.cutoff_date
        ) as has_started,
        exists (
            select 1
            from youth_education
            where
                youth_education.municipality_code = last_measure_ends.municipality_code
                and youth_education.person_id = last_measure_ends.person_id
                and youth_education.completed_date <= last_measure_ends.cutoff_date
        ) as has_completed
    from last_measure_ends
    inner join persons
        on
            last_measure_ends.municipality_code = persons.municipality_code
            and last_measure_ends.person_id = persons.person_id
    where
        last_measure_ends.last_end_date > cast(last_measure_ends.cutoff_date - interval 2 year as date)
        and last_measure_ends.last_end_date <= cast(last_measure_ends.cutoff_date - interval 1 year as date)
        and {{ age_on('persons.birth_date', 'last_measure_ends.cutoff_date') }} >= 16
        and not {{ excluded_in_window(
            'persons', 'disability_measures', 'last_measure_ends.municipality_code',
            'last_measure_ends.person_id',
            'cast(last_measure_ends.cutoff_date - interval 2 year as date)',
            'last_measure_ends.cutoff_date'
        ) }}
),

indicator_g7 as (
    select
        municipality_code,
        cutoff_date,
        unnest(['G7a', 'G7b']) as indicator_id,
        strftime(cutoff_date, '%Y-%m-%d') as period,
        unnest([
            count(*) filter (where has_started),
            count(*) filter (where has_completed)
        ]) as numerator,
        count(*) as denominator
    from former_recipients
    group by municipality_code, cutoff_date
),

-- S6: the year of the figure and the base year, counted the same way.
s6_base_year as (
    select base_year from indicators
    where indicator_id = 'S6'
),

s6_years as (
    select
        municipality_code,
        cutoff_date,
        calendar_year,
        false as is_base_year,
        calendar_year as counted_year
    from calendar_years
    union all
    select
        calendar_years.municipality_code,
        calendar_years.cutoff_date,
        calendar_years.calendar_year,
        true as is_base_year,
        s6_base_year.base_year as counted_year
    from calendar_years
    cross join s6_base_year
),

education_starters as (
    select distinct
        s6_years.municipality_code,
        s6_years.cutoff_date,
        s6_years.calendar_year,
        s6_years.is_base_year,
        youth_education.person_id
    from s6_years
    inner join youth_education
        on
            s6_years.municipality_code = youth_education.municipality_code
            and year(youth_education.start_date) = s6_years.counted_year
    inner join persons
        on
            youth_education.municipality_code = persons.municipality_code
            and youth_education.person_id = persons.person_id
    where
        {{ age_on('persons.birth_date', 'youth_education.start_date') }} between 15 and 24
        and exists (
            select 1
            from measures
            where
                measures.municipality_code = youth_education.municipality_code
                and measures.person_id = youth_education.person_id
                and measures.start_date <= make_date(s6_years.counted_year, 12, 31)
        )
        and not {{ excluded_in_window(
            'persons', 'disability_measures', 'youth_education.municipality_code',
            'youth_education.person_id', 'make_date(s6_years.counted_year - 1, 12, 31)',
            'make_date(s6_years.counted_year, 12, 31)'
        ) }}
),

indicator_s6 as (
    select
        s6_years.municipality_code,
        s6_years.cutoff_date,
        'S6' as indicator_id,
        cast(s6_years.calendar_year as varchar) as period,
        count(education_starters.person_id) filter (where not s6_years.is_base_year)
            as numerator,
        count(education_starters.person_id) filter (where s6_years.is_base_year)
            as denominator
    from s6_years
    left join education_starters
        on
            s6_years.municipality_code = education_starters.municipality_code
            and s6_years.cutoff_date = education_starters.cutoff_date
            and s6_years.is_base_year = education_starters.is_base_year
    group by s6_years.municipality_code, s6_years.cutoff_date, s6_years.calendar_year
)

select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
from indicator_g6
union all
select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
from indicator_g7
union all
select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
from indicator_s6
