{{ config(meta={'dagster': {'ref': {'name': 'stg_statbank__anbaar12'}}}) }}

-- The placement mix adds ANBAAR12's codes up per placement type through the placement_types
-- seed. A code the seed does not know would drop out of every type while still counting in the
-- total: add it to the seed (dst_code column) instead.
with anbaar12 as (
    select placement_dst_code from {{ ref('stg_statbank__anbaar12') }}
    union
    select placement_dst_code from {{ ref('stg_statbank__anbaar12_national') }}
),

placement_types as (
    select * from {{ ref('placement_types') }}
)

select placement_dst_code
from anbaar12
where
    placement_dst_code <> 'TOT'
    and placement_dst_code not in (select cast(dst_code as varchar) from placement_types)
