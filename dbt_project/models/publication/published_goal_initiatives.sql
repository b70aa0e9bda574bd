{{ config(alias='goal_initiatives') }}

-- Goals beside their focus area's initiatives, for BI (reference data, no persons).
with goal_initiatives as (
    select * from {{ ref('goal_initiatives') }}
)

select
    goal_id,
    municipality_code,
    focus_area_id,
    focus_area_name_da,
    goal_da,
    indicator_id,
    initiative_id,
    sub_strategy_da,
    action_da,
    yearly_budget_dkk,
    financing_da,
    expected_effect_da,
    start_year
from goal_initiatives
