{{ config(alias='indicators') }}

-- The indicator catalogue for BI: names, units and the rule each figure follows, the national
-- key indicators and the municipal goal indicators.
with indicators as (
    select * from {{ ref('indicators') }}
),

units as (
    select * from {{ ref('units') }}
)

select
    indicators.indicator_id,
    indicators.parent_id,
    indicators.sort_order,
    indicators.name_da,
    indicators.short_name_da,
    indicators.name_en,
    indicators.definition_da,
    indicators.unit,
    units.unit_da,
    indicators.ladder_step,
    indicators.source,
    indicators.spec_rule,
    indicators.family,
    indicators.period_kind
from indicators
left join units on indicators.unit = units.unit
