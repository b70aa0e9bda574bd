{{ config(materialized='ephemeral') }}

-- Indicator 12 and 12.1-12.3: completed follow-ups in (D - 1 year, D] per person with a measure
-- of the group active on D. The follow-ups counted are those on any of the person's measures of
-- the group, active on D or not (SPEC §11). Exclusions on D and in (D - 1 year, D].
with statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

follow_ups as (
    select * from {{ ref('int_follow_ups_classified') }}
),

scope as (
    select * from {{ ref('int_run_scope') }}
),

counted as (
    select * from statuses
    where
        is_aged_0_17
        and not is_unaccompanied_refugee
        and not disabled_in_year
),

-- The group each counted person belongs to on D; a child on a move day between an institution
-- and a foster family is in both 12.1 and 12.2.
memberships as (
    select municipality_code, cutoff_date, person_id, '12' as indicator_id
    from counted where is_placed or has_home_based
    union all
    select municipality_code, cutoff_date, person_id, '12.1'
    from counted where has_institution_placement
    union all
    select municipality_code, cutoff_date, person_id, '12.2'
    from counted where has_foster_family_placement
    union all
    select municipality_code, cutoff_date, person_id, '12.3'
    from counted where has_home_based
),

follow_ups_in_year as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        follow_ups.person_id,
        unnest(['12', '12.1', '12.2', '12.3']) as indicator_id,
        unnest([
            count(*) filter (where follow_ups.in_group_12),
            count(*) filter (where follow_ups.in_group_12_1),
            count(*) filter (where follow_ups.in_group_12_2),
            count(*) filter (where follow_ups.in_group_12_3)
        ]) as follow_ups
    from scope
    inner join follow_ups
        on
            scope.municipality_code = follow_ups.municipality_code
            and follow_ups.completed_date > scope.year_before_date
            and follow_ups.completed_date <= scope.cutoff_date
    group by scope.municipality_code, scope.cutoff_date, follow_ups.person_id
)

select
    memberships.municipality_code,
    memberships.cutoff_date,
    memberships.indicator_id,
    coalesce(sum(follow_ups_in_year.follow_ups), 0) as numerator,
    count(*) as denominator
from memberships
left join follow_ups_in_year
    on
        memberships.municipality_code = follow_ups_in_year.municipality_code
        and memberships.cutoff_date = follow_ups_in_year.cutoff_date
        and memberships.person_id = follow_ups_in_year.person_id
        and memberships.indicator_id = follow_ups_in_year.indicator_id
group by memberships.municipality_code, memberships.cutoff_date, memberships.indicator_id
