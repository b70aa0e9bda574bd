-- Goal indicators G1-G3 (seed 000, "Tidlig indsats"; SPEC §9), per cut-off date D.
-- G1: persons aged 0-17 on D with a HOME_BASED or PLACEMENT measure active on D (per 1000; the
--     mart adds the FOLK1A population). Excluded on D.
-- G2: of the persons (any age) with a HOME_BASED or PLACEMENT measure active on D, excluded on
--     D, those whose latest family_involvement record on or before D is INVOLVED or DECLINED;
--     several records on that latest day count when any of them is.
-- G3: investigations decided in (D - 1 year, D]: sum and number of the ages in whole years on
--     the decision date (the mart averages, one decimal). Excluded in the window.
with scope as (
    select * from {{ ref('int_run_scope') }}
),

statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

family_involvement as (
    select * from {{ ref('stg_landing__family_involvement') }}
),

investigations as (
    select * from {{ ref('stg_landing__investigations') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

disability_measures as (
    select * from {{ ref('int_measures_classified') }}
    where disability
),

helped_on_cutoff as (
    select * from statuses
    where
        (has_home_based or is_placed)
        and not is_unaccompanied_refugee
        and not disabled_on_cutoff
),

indicator_g1 as (
    select
        municipality_code,
        cutoff_date,
        'G1' as indicator_id,
        count(*) filter (where is_aged_0_17) as numerator,
        null as denominator
    from helped_on_cutoff
    group by municipality_code, cutoff_date
),

-- The day of each helped person's latest family_involvement record on or before D. An
-- aggregate, not a window over every record up to D: nationally that window held 3.2 million
-- rows for the same answer.
latest_record_dates as (
    select
        helped_on_cutoff.municipality_code,
        helped_on_cutoff.cutoff_date,
        helped_on_cutoff.person_id,
        max(family_involvement.recorded_date) as latest_recorded_date
    from helped_on_cutoff
    inner join family_involvement
        on
            helped_on_cutoff.municipality_code = family_involvement.municipality_code
            and helped_on_cutoff.person_id = family_involvement.person_id
            and family_involvement.recorded_date <= helped_on_cutoff.cutoff_date
    group by
        helped_on_cutoff.municipality_code,
        helped_on_cutoff.cutoff_date,
        helped_on_cutoff.person_id
),

-- Several records on that day count when any of them is INVOLVED or DECLINED.
involved as (
    select distinct
        latest_record_dates.municipality_code,
        latest_record_dates.cutoff_date,
        latest_record_dates.person_id
    from latest_record_dates
    inner join family_involvement
        on
            latest_record_dates.municipality_code = family_involvement.municipality_code
            and latest_record_dates.person_id = family_involvement.person_id
            and latest_record_dates.latest_recorded_date = family_involvement.recorded_date
    where family_involvement.status in ('INVOLVED', 'DECLINED')
),

indicator_g2 as (
    select
        helped_on_cutoff.municipality_code,
        helped_on_cutoff.cutoff_date,
        'G2' as indicator_id,
        count(involved.person_id) as numerator,
        count(*) as denominator
    from helped_on_cutoff
    left join involved
        on
            helped_on_cutoff.municipality_code = involved.municipality_code
            and helped_on_cutoff.cutoff_date = involved.cutoff_date
            and helped_on_cutoff.person_id = involved.person_id
    group by helped_on_cutoff.municipality_code, helped_on_cutoff.cutoff_date
),

decided_in_year as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        investigations.investigation_id,
        {{ age_on('persons.birth_date', 'investigations.decision_date') }} as age_at_decision
    from scope
    inner join investigations
        on
            scope.municipality_code = investigations.municipality_code
            and investigations.decision_date > scope.year_before_date
            and investigations.decision_date <= scope.cutoff_date
    inner join persons
        on
            investigations.municipality_code = persons.municipality_code
            and investigations.person_id = persons.person_id
    where not {{ excluded_in_window(
        'persons', 'disability_measures', 'investigations.municipality_code',
        'investigations.person_id', 'scope.year_before_date', 'scope.cutoff_date'
    ) }}
),

indicator_g3 as (
    select
        municipality_code,
        cutoff_date,
        'G3' as indicator_id,
        sum(age_at_decision) as numerator,
        count(*) as denominator
    from decided_in_year
    group by municipality_code, cutoff_date
),

unioned as (
    select * from indicator_g1
    union all
    select * from indicator_g2
    union all
    select * from indicator_g3
)

select
    municipality_code,
    cutoff_date,
    indicator_id,
    strftime(cutoff_date, '%Y-%m-%d') as period,
    numerator,
    denominator
from unioned
