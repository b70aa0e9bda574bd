-- Where every type of an area and year has a share, the shares add up to 100 % (within the
-- rounding to 4 decimals): a code mapped to two types, or one dropped, shows here.
with mix as (
    select * from {{ ref('int_statbank_placement_mix') }}
),

totals as (
    select
        area_code,
        year,
        sum(share_pct) as share_sum,
        count(*) - count(share_pct) as types_without_share
    from mix
    group by area_code, year
)

select *
from totals
where types_without_share = 0 and abs(share_sum - 100) > 0.01
