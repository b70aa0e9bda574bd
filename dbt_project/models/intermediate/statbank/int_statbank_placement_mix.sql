-- ANBAAR12's placed children and young people per area, year and placement type of SPEC §4
-- (Danmarks Statistik's ANBRINGELSE codes mapped through the placement_types seed), with each
-- type's share of the area's total: the ANBRINGELSE=TOT cell, or, when the answer has no TOT
-- cell (the all-types code was not confirmed against the live table), the sum of the type
-- cells when none of them is '..'. Area '000' is all Denmark.
with anbaar12_municipalities as (
    select * from {{ ref('stg_statbank__anbaar12') }}
),

anbaar12_national as (
    select * from {{ ref('stg_statbank__anbaar12_national') }}
),

placement_types as (
    select * from {{ ref('placement_types') }}
),

placement_type_codes as (
    select * from {{ ref('placement_type_codes') }}
),

anbaar12 as (
    select
        municipality_code as area_code,
        placement_dst_code,
        year,
        placed
    from anbaar12_municipalities
    union all
    select
        '000' as area_code,
        placement_dst_code,
        year,
        placed
    from anbaar12_national
),

-- One placement type per DST code (the seed has one row per label, several labels per code).
dst_codes as (
    select distinct
        cast(dst_code as varchar) as placement_dst_code,
        placement_type
    from placement_types
),

-- Only an area and year with some ANBAAR12 row were published; there, a missing cell is one
-- that BULK left out because it equals the table's suppressedDataValue (0).
published as (
    select
        area_code,
        year,
        coalesce(
            max(placed) filter (where placement_dst_code = 'TOT'),
            case
                when count(placed) = count(*)
                    then sum(placed) filter (where placement_dst_code != 'TOT')
            end
        ) as total_placed
    from anbaar12
    group by area_code, year
),

by_type as (
    select
        anbaar12.area_code,
        anbaar12.year,
        dst_codes.placement_type,
        count(*) as cells,
        count(anbaar12.placed) as cells_with_figure,
        sum(anbaar12.placed) as placed
    from anbaar12
    inner join dst_codes
        on anbaar12.placement_dst_code = dst_codes.placement_dst_code
    group by anbaar12.area_code, anbaar12.year, dst_codes.placement_type
),

grid as (
    select
        published.area_code,
        published.year,
        published.total_placed,
        placement_type_codes.placement_type,
        placement_type_codes.is_institution
    from published
    cross join placement_type_codes
),

counted as (
    select
        grid.area_code,
        grid.year,
        grid.placement_type,
        grid.is_institution,
        case
            -- No cell of the type: every one was 0 and left out.
            when by_type.cells is null then 0
            -- One of the type's codes is '..': the type's count is unknown, not a partial sum.
            when by_type.cells_with_figure < by_type.cells then null
            else by_type.placed
        end as placed,
        grid.total_placed as placed_total
    from grid
    left join by_type
        on
            grid.area_code = by_type.area_code
            and grid.year = by_type.year
            and grid.placement_type = by_type.placement_type
)

select
    area_code,
    year,
    placement_type,
    is_institution,
    cast(placed as bigint) as placed,
    cast(placed_total as bigint) as placed_total,
    -- A zero or unknown total gives NULL, never 0.
    case
        when placed_total > 0 then round(100.0 * placed / placed_total, 4)
    end as share_pct
from counted
