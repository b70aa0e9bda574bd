-- Goal indicators G8 and G9 (seed 000, "Udvikling af anbringelsesviften"; SPEC §9), per
-- cut-off date D.
-- G8: persons placed on D (any placement type; excluded on D) with wellbeing assessments on at
--     least two different days of the current placement episode up to D (int_placement_episodes:
--     placements of any type joined when no day is uncovered, so a move keeps the history).
--     numerator: the sum over those persons of latest minus first score (several assessments on
--     one day: their mean); denominator: the persons; the mart divides (points).
-- G9: placements (PLACEMENT measures) whose end_date lies in (D - 1 year, D]; numerator: those
--     ended UNPLANNED (sammenbrud). Counts placements, not persons; a person with a disability
--     measure active in the window is excluded (their disability placement included).
with scope as (
    select * from {{ ref('int_run_scope') }}
),

statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

episodes as (
    select * from {{ ref('int_placement_episodes') }}
),

wellbeing as (
    select * from {{ ref('stg_landing__wellbeing') }}
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

placed_on_cutoff as (
    select
        statuses.municipality_code,
        statuses.cutoff_date,
        statuses.person_id,
        episodes.episode_start_date
    from statuses
    inner join episodes
        on
            statuses.municipality_code = episodes.municipality_code
            and statuses.person_id = episodes.person_id
            and episodes.episode_start_date <= statuses.cutoff_date
            and (episodes.episode_end_date is null or episodes.episode_end_date >= statuses.cutoff_date)
    where
        statuses.is_placed
        and not statuses.is_unaccompanied_refugee
        and not statuses.disabled_on_cutoff
),

scores_by_day as (
    select
        placed_on_cutoff.municipality_code,
        placed_on_cutoff.cutoff_date,
        placed_on_cutoff.person_id,
        wellbeing.assessment_date,
        avg(wellbeing.score) as score
    from placed_on_cutoff
    inner join wellbeing
        on
            placed_on_cutoff.municipality_code = wellbeing.municipality_code
            and placed_on_cutoff.person_id = wellbeing.person_id
            and wellbeing.assessment_date >= placed_on_cutoff.episode_start_date
            and wellbeing.assessment_date <= placed_on_cutoff.cutoff_date
    group by all
),

changes as (
    select
        municipality_code,
        cutoff_date,
        person_id,
        arg_max(score, assessment_date) - arg_min(score, assessment_date) as score_change
    from scores_by_day
    group by municipality_code, cutoff_date, person_id
    having count(*) >= 2
),

indicator_g8 as (
    select
        municipality_code,
        cutoff_date,
        'G8' as indicator_id,
        sum(score_change) as numerator,
        count(*) as denominator
    from changes
    group by municipality_code, cutoff_date
),

ended_in_year as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        measures.measure_id,
        measures.end_reason
    from scope
    inner join measures
        on
            scope.municipality_code = measures.municipality_code
            and measures.is_placement
            and measures.end_date > scope.year_before_date
            and measures.end_date <= scope.cutoff_date
    where not {{ excluded_in_window(
        'persons', 'disability_measures', 'measures.municipality_code', 'measures.person_id',
        'scope.year_before_date', 'scope.cutoff_date'
    ) }}
),

indicator_g9 as (
    select
        municipality_code,
        cutoff_date,
        'G9' as indicator_id,
        count(*) filter (where end_reason = 'UNPLANNED') as numerator,
        count(*) as denominator
    from ended_in_year
    group by municipality_code, cutoff_date
),

unioned as (
    select * from indicator_g8
    union all
    select * from indicator_g9
)

select
    municipality_code,
    cutoff_date,
    indicator_id,
    strftime(cutoff_date, '%Y-%m-%d') as period,
    numerator,
    denominator
from unioned
