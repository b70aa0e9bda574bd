{{ config(alias='indicators') }}

-- The indicator catalogue for BI: names, units and the rule each figure follows, the national
-- key indicators and the municipal goal indicators.
with indicators as (
    select * from {{ ref('indicators') }}
)

select
    indicator_id,
    parent_id,
    sort_order,
    name_da,
    name_en,
    unit,
    source,
    spec_rule,
    family,
    period_kind
from indicators
