-- Goal indicators on help in the general environment (almenmiljøet; seed 001, SPEC §9).
-- S3, calendar year Y: inquiries dated in Y via SCHOOL or DAYCARE (to the school and daycare
--     counsellors); numerator: outcome LOCAL_EFFORT (a local effort without an authority case).
--     inquiries.csv carries no CPR number, so the exclusions of SPEC §3 cannot apply.
-- S4, cut-off date D: HOME_BASED measures active on D of persons not excluded on D (counts
--     measures, not persons); numerator: provider GENERAL (school, daycare, health visitor).
--     A measure without a provider is in the base and not in the numerator.
with scope as (
    select * from {{ ref('int_run_scope') }}
),

inquiries as (
    select * from {{ ref('stg_landing__inquiries') }}
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

inquiries_in_year as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        scope.calendar_year,
        inquiries.outcome
    from scope
    inner join inquiries
        on
            scope.municipality_code = inquiries.municipality_code
            and year(inquiries.inquiry_date) = scope.calendar_year
            and inquiries.channel in ('SCHOOL', 'DAYCARE')
),

indicator_s3 as (
    select
        municipality_code,
        cutoff_date,
        'S3' as indicator_id,
        cast(calendar_year as varchar) as period,
        count(*) filter (where outcome = 'LOCAL_EFFORT') as numerator,
        count(*) as denominator
    from inquiries_in_year
    group by municipality_code, cutoff_date, calendar_year
),

home_based_on_cutoff as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        measures.provider
    from scope
    inner join measures
        on
            scope.municipality_code = measures.municipality_code
            and measures.is_home_based
            and {{ active_on('scope.cutoff_date', 'measures.start_date', 'measures.end_date') }}
    where not {{ excluded_in_window(
        'persons', 'disability_measures', 'measures.municipality_code', 'measures.person_id',
        'cast(scope.cutoff_date - interval 1 day as date)', 'scope.cutoff_date'
    ) }}
),

indicator_s4 as (
    select
        municipality_code,
        cutoff_date,
        'S4' as indicator_id,
        strftime(cutoff_date, '%Y-%m-%d') as period,
        count(*) filter (where provider = 'GENERAL') as numerator,
        count(*) as denominator
    from home_based_on_cutoff
    group by municipality_code, cutoff_date
)

select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
from indicator_s3
union all
select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
from indicator_s4
