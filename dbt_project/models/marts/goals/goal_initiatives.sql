-- Goals beside the strategy initiatives meant to move them (SPEC §9): a goal and an initiative
-- of the same focus area, so BI can show goal, indicator and initiatives side by side.
with register as (
    select * from {{ ref('goal_register') }}
),

initiatives as (
    select * from {{ ref('strategy_initiatives') }}
),

focus_areas as (
    select * from {{ ref('focus_areas') }}
),

linked as (
    select
        register.goal_id,
        register.municipality_code,
        register.focus_area_id,
        focus_areas.name_da as focus_area_name_da,
        register.goal_da,
        register.indicator_id,
        initiatives.initiative_id,
        initiatives.sub_strategy_da,
        initiatives.action_da,
        initiatives.yearly_budget_dkk,
        initiatives.financing_da,
        initiatives.expected_effect_da,
        initiatives.start_year
    from register
    inner join initiatives
        on
            register.focus_area_id = initiatives.focus_area_id
            and register.municipality_code = initiatives.municipality_code
    left join focus_areas
        on register.focus_area_id = focus_areas.focus_area_id
)

select * from linked
