-- Goal indicators on casework (sagsbehandling; seeds 000 and 001, SPEC §9).
-- G10a/G10b, cut-off date D: investigations (investigations.csv) whose 4-month deadline,
--     decision_date + 4 calendar months (clamped to the month's end: 31 Oct + 4 months = 28/29
--     Feb), lies in (D - 1 year, D]; numerator G10a: completed on or before the deadline,
--     G10b: completed at most 42 days (6 weeks) after the decision. Excluded in the window.
-- G11a, D: persons (any age) with a HOME_BASED or PLACEMENT measure active on D, excluded on
--     D; numerator: an action plan created on or before D.
-- G11b, D: HOME_BASED and PLACEMENT measures started in (D - 1 year - 3 months, D - 3 months];
--     numerator: the measure's first completed follow-up came on or before start + 3 months.
--     Excluded in (D - 1 year - 3 months, D].
-- G11c, D: HOME_BASED and PLACEMENT measures active on D that started more than 6 months
--     before D (start < D - 6 months); numerator: a follow-up completed in (D - 6 months, D].
--     Excluded in (D - 6 months, D]. (G11b/c take SPEC's "measures" as the measures of (a)
--     and of indicator 12: follow-ups and action plans concern home-based help and placements.)
-- S1, calendar year Y: cases (case_id) whose first RESPONSIBLE assignment started in Y;
--     numerator: no other RESPONSIBLE caseworker has an assignment starting before the first
--     start + 1 year (as far as the delivery shows: for the latest year the figure firms up
--     as the year after each start passes). A case is excluded when a person of it is excluded
--     in Y.
-- S5, calendar year Y: child conversations dated in Y with a person placed (any type) on the
--     conversation date and aged 13 or older on it ("over 12 år"); numerator: goals_achieved
--     YES. Counts conversations. Excluded in Y.
with scope as (
    select * from {{ ref('int_run_scope') }}
),

statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

investigations as (
    select * from {{ ref('stg_landing__investigations') }}
),

action_plans as (
    select * from {{ ref('stg_landing__action_plans') }}
),

follow_ups as (
    select * from {{ ref('stg_landing__follow_ups') }}
),

assignments as (
    select * from {{ ref('stg_landing__caseworker_assignments') }}
),

conversations as (
    select * from {{ ref('stg_landing__child_conversations') }}
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

calendar_years as (
    select
        municipality_code,
        cutoff_date,
        calendar_year,
        make_date(calendar_year, 1, 1) as year_start,
        make_date(calendar_year, 12, 31) as year_end,
        make_date(calendar_year - 1, 12, 31) as year_after
    from scope
    where calendar_year is not null
),

with_deadline as (
    select
        *,
        cast(decision_date + interval 4 month as date) as deadline_date
    from investigations
),

due_in_year as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        with_deadline.investigation_id,
        with_deadline.completed_date <= with_deadline.deadline_date as is_on_time,
        with_deadline.completed_date <= with_deadline.decision_date + 42 as is_within_6_weeks
    from scope
    inner join with_deadline
        on
            scope.municipality_code = with_deadline.municipality_code
            and with_deadline.deadline_date > scope.year_before_date
            and with_deadline.deadline_date <= scope.cutoff_date
    where not {{ excluded_in_window(
        'persons', 'disability_measures', 'with_deadline.municipality_code',
        'with_deadline.person_id', 'scope.year_before_date', 'scope.cutoff_date'
    ) }}
),

indicator_g10 as (
    select
        municipality_code,
        cutoff_date,
        unnest(['G10a', 'G10b']) as indicator_id,
        unnest([
            count(*) filter (where is_on_time),
            count(*) filter (where is_within_6_weeks)
        ]) as numerator,
        count(*) as denominator
    from due_in_year
    group by municipality_code, cutoff_date
),

helped_on_cutoff as (
    select
        *,
        exists (
            select 1
            from action_plans
            where
                action_plans.municipality_code = statuses.municipality_code
                and action_plans.person_id = statuses.person_id
                and action_plans.created_date <= statuses.cutoff_date
        ) as has_action_plan
    from statuses
    where
        (has_home_based or is_placed)
        and not is_unaccompanied_refugee
        and not disabled_on_cutoff
),

indicator_g11a as (
    select
        municipality_code,
        cutoff_date,
        'G11a' as indicator_id,
        count(*) filter (where has_action_plan) as numerator,
        count(*) as denominator
    from helped_on_cutoff
    group by municipality_code, cutoff_date
),

followed_measures as (
    select * from measures
    where is_home_based or is_placement
),

started_windows as (
    select
        municipality_code,
        cutoff_date,
        cast(cutoff_date - interval 1 year - interval 3 month as date) as started_after,
        cast(cutoff_date - interval 3 month as date) as started_up_to
    from scope
),

started_measures as (
    select
        started_windows.municipality_code,
        started_windows.cutoff_date,
        followed_measures.measure_id,
        (
            select min(follow_ups.completed_date)
            from follow_ups
            where
                follow_ups.municipality_code = followed_measures.municipality_code
                and follow_ups.measure_id = followed_measures.measure_id
                and follow_ups.completed_date <= started_windows.cutoff_date
        ) <= followed_measures.start_date + interval 3 month as is_first_follow_up_on_time
    from started_windows
    inner join followed_measures
        on
            started_windows.municipality_code = followed_measures.municipality_code
            and followed_measures.start_date > started_windows.started_after
            and followed_measures.start_date <= started_windows.started_up_to
    where not {{ excluded_in_window(
        'persons', 'disability_measures', 'followed_measures.municipality_code',
        'followed_measures.person_id', 'started_windows.started_after', 'started_windows.cutoff_date'
    ) }}
),

indicator_g11b as (
    select
        municipality_code,
        cutoff_date,
        'G11b' as indicator_id,
        count(*) filter (where is_first_follow_up_on_time) as numerator,
        count(*) as denominator
    from started_measures
    group by municipality_code, cutoff_date
),

ongoing_measures as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        followed_measures.measure_id,
        exists (
            select 1
            from follow_ups
            where
                follow_ups.municipality_code = followed_measures.municipality_code
                and follow_ups.measure_id = followed_measures.measure_id
                and follow_ups.completed_date > scope.half_year_before_date
                and follow_ups.completed_date <= scope.cutoff_date
        ) as has_recent_follow_up
    from scope
    inner join followed_measures
        on
            scope.municipality_code = followed_measures.municipality_code
            and {{ active_on('scope.cutoff_date', 'followed_measures.start_date', 'followed_measures.end_date') }}
            and followed_measures.start_date < scope.half_year_before_date
    where not {{ excluded_in_window(
        'persons', 'disability_measures', 'followed_measures.municipality_code',
        'followed_measures.person_id', 'scope.half_year_before_date', 'scope.cutoff_date'
    ) }}
),

indicator_g11c as (
    select
        municipality_code,
        cutoff_date,
        'G11c' as indicator_id,
        count(*) filter (where has_recent_follow_up) as numerator,
        count(*) as denominator
    from ongoing_measures
    group by municipality_code, cutoff_date
),

responsible as (
    select * from assignments
    where role = 'RESPONSIBLE'
),

case_starts as (
    select
        municipality_code,
        case_id,
        min(from_date) as first_start_date
    from responsible
    group by municipality_code, case_id
),

case_first_years as (
    select
        case_starts.municipality_code,
        case_starts.case_id,
        case_starts.first_start_date,
        count(distinct responsible.caseworker_id) as caseworkers_in_first_year
    from case_starts
    inner join responsible
        on
            case_starts.municipality_code = responsible.municipality_code
            and case_starts.case_id = responsible.case_id
            and responsible.from_date < case_starts.first_start_date + interval 1 year
    group by case_starts.municipality_code, case_starts.case_id, case_starts.first_start_date
),

cases_started_in_year as (
    select
        calendar_years.municipality_code,
        calendar_years.cutoff_date,
        calendar_years.calendar_year,
        case_first_years.case_id,
        case_first_years.caseworkers_in_first_year
    from calendar_years
    inner join case_first_years
        on
            calendar_years.municipality_code = case_first_years.municipality_code
            and year(case_first_years.first_start_date) = calendar_years.calendar_year
    where not exists (
        select 1
        from assignments as case_rows
        where
            case_rows.municipality_code = case_first_years.municipality_code
            and case_rows.case_id = case_first_years.case_id
            and {{ excluded_in_window(
                'persons', 'disability_measures', 'case_rows.municipality_code',
                'case_rows.person_id', 'calendar_years.year_after', 'calendar_years.year_end'
            ) }}
    )
),

indicator_s1 as (
    select
        municipality_code,
        cutoff_date,
        'S1' as indicator_id,
        count(*) filter (where caseworkers_in_first_year = 1) as numerator,
        count(*) as denominator
    from cases_started_in_year
    group by municipality_code, cutoff_date
),

conversations_in_year as (
    select
        calendar_years.municipality_code,
        calendar_years.cutoff_date,
        conversations.goals_achieved
    from calendar_years
    inner join conversations
        on
            calendar_years.municipality_code = conversations.municipality_code
            and conversations.conversation_date between calendar_years.year_start
            and calendar_years.year_end
    inner join persons
        on
            conversations.municipality_code = persons.municipality_code
            and conversations.person_id = persons.person_id
    where
        {{ age_on('persons.birth_date', 'conversations.conversation_date') }} >= 13
        and exists (
            select 1
            from measures
            where
                measures.municipality_code = conversations.municipality_code
                and measures.person_id = conversations.person_id
                and measures.is_placement
                and {{ active_on('conversations.conversation_date', 'measures.start_date', 'measures.end_date') }}
        )
        and not {{ excluded_in_window(
            'persons', 'disability_measures', 'conversations.municipality_code',
            'conversations.person_id', 'calendar_years.year_after', 'calendar_years.year_end'
        ) }}
),

indicator_s5 as (
    select
        municipality_code,
        cutoff_date,
        'S5' as indicator_id,
        count(*) filter (where goals_achieved = 'YES') as numerator,
        count(*) as denominator
    from conversations_in_year
    group by municipality_code, cutoff_date
),

per_cutoff as (
    select * from indicator_g10
    union all
    select * from indicator_g11a
    union all
    select * from indicator_g11b
    union all
    select * from indicator_g11c
),

per_year as (
    select * from indicator_s1
    union all
    select * from indicator_s5
)

select
    municipality_code,
    cutoff_date,
    indicator_id,
    strftime(cutoff_date, '%Y-%m-%d') as period,
    numerator,
    denominator
from per_cutoff
union all
select
    per_year.municipality_code,
    per_year.cutoff_date,
    per_year.indicator_id,
    cast(scope.calendar_year as varchar) as period,
    per_year.numerator,
    per_year.denominator
from per_year
inner join scope
    on
        per_year.municipality_code = scope.municipality_code
        and per_year.cutoff_date = scope.cutoff_date
