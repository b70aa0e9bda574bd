-- ANBAAR9's placed 0-17-year-olds (ALERAMS=9917) on 31 December, for every municipality and
-- every year ANBAAR9 has published, with a status that says why a figure is missing.
with anbaar9 as (
    select * from {{ ref('stg_statbank__anbaar9') }}
),

municipalities as (
    select * from {{ ref('municipalities') }}
),

published_years as (
    select distinct year from anbaar9
),

-- A municipality with some row that year was published; there, a missing 9917 cell is one
-- that BULK left out because it equals the table's suppressedDataValue (0).
cells as (
    select
        municipality_code,
        year,
        count(*) filter (where age_group = '9917') as cells_0_17,
        max(placed) filter (where age_group = '9917') as placed_0_17
    from anbaar9
    group by municipality_code, year
),

grid as (
    select
        municipalities.municipality_code,
        published_years.year
    from municipalities
    cross join published_years
)

select
    grid.municipality_code,
    grid.year,
    case
        when cells.municipality_code is null then null
        when cells.cells_0_17 = 0 then 0
        else cells.placed_0_17
    end as placed_0_17,
    case
        when cells.municipality_code is null then 'no_dst_row'
        when cells.cells_0_17 > 0 and cells.placed_0_17 is null then 'suppressed'
        else 'ok'
    end as dst_status
from grid
left join cells
    on
        grid.municipality_code = cells.municipality_code
        and grid.year = cells.year
