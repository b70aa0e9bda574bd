{{ config(meta={'dagster': {'ref': {'name': 'goal_register'}}}) }}

-- The goal register, the reported results and the strategy initiatives agree with each other
-- and with the conventions goal_attainment relies on. Each row returned is one problem.
with register as (
    select * from {{ ref('goal_register') }}
),

reported as (
    select * from {{ ref('reported_goal_results') }}
),

initiatives as (
    select * from {{ ref('strategy_initiatives') }}
),

focus_areas as (
    select * from {{ ref('focus_areas') }}
),

focus_area_names as (
    select * from {{ ref('focus_area_names') }}
),

problems as (
    select goal_id as row_id, 'baseline_period is not YYYY, YYYY/YY or YYYY-MM-DD' as problem
    from register
    where baseline_period is not null and {{ period_end('baseline_period') }} is null
    union all
    select goal_id, 'target_period is not YYYY, YYYY/YY or YYYY-MM-DD'
    from register
    where target_period is not null and {{ period_end('target_period') }} is null
    union all
    select goal_id, 'a target without a direction'
    from register
    where (target_value is not null or target_change_pct is not null) and target_direction is null
    union all
    select goal_id, 'a goal measured by an indicator without a direction'
    from register
    where indicator_id is not null and target_direction is null
    union all
    select goal_id, 'a relative target without a baseline value'
    from register
    where target_change_pct is not null and target_value is null and baseline_value is null
    union all
    select register.goal_id, 'the focus area belongs to another municipality'
    from register
    inner join focus_areas on register.focus_area_id = focus_areas.focus_area_id
    where register.municipality_code != focus_areas.municipality_code
    union all
    select register.goal_id, 'focus_area_da is not a name focus_area_names maps to focus_area_id'
    from register
    left join focus_area_names
        on
            register.focus_area_id = focus_area_names.focus_area_id
            and register.source_document = focus_area_names.source_document
            and register.focus_area_da = focus_area_names.name_as_written
    where focus_area_names.focus_area_id is null
    union all
    select initiatives.initiative_id, 'focus_area_da is not a name focus_area_names maps to focus_area_id'
    from initiatives
    left join focus_area_names
        on
            initiatives.focus_area_id = focus_area_names.focus_area_id
            and initiatives.source_document = focus_area_names.source_document
            and initiatives.focus_area_da = focus_area_names.name_as_written
    where focus_area_names.focus_area_id is null
    union all
    select initiative_id, 'a negative budget'
    from initiatives
    where yearly_budget_dkk < 0
    union all
    select goal_id || ' ' || period, 'reported period is not YYYY, YYYY/YY or YYYY-MM-DD'
    from reported
    where {{ period_end('period') }} is null
)

select * from problems
