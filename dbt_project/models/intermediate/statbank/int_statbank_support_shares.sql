-- BU43 for 0-17-year-olds per area and year: the share placed (FORANSTALT=ANBR) and the share
-- with any support (FORANSTALT=IALT: placed or a supportive measure, each person once), as
-- Danmarks Statistik publishes them. Area '000' is all Denmark.
with bu43_municipalities as (
    select * from {{ ref('stg_statbank__bu43') }}
),

bu43_national as (
    select * from {{ ref('stg_statbank__bu43_national') }}
),

bu43 as (
    select
        municipality_code as area_code,
        measure_group,
        age_group,
        year,
        share_pct
    from bu43_municipalities
    union all
    select
        '000' as area_code,
        measure_group,
        age_group,
        year,
        share_pct
    from bu43_national
),

-- Only an area and year with some BU43 row were published; there, a missing cell is one that
-- BULK left out because it equals the table's suppressedDataValue (0).
cells as (
    select
        area_code,
        year,
        count(*) filter (where measure_group = 'ANBR' and age_group = '9917') as placed_cells,
        max(share_pct) filter (where measure_group = 'ANBR' and age_group = '9917')
            as placed_share,
        count(*) filter (where measure_group = 'IALT' and age_group = '9917') as supported_cells,
        max(share_pct) filter (where measure_group = 'IALT' and age_group = '9917')
            as supported_share
    from bu43
    group by area_code, year
)

select
    area_code,
    year,
    -- An absent cell is 0; a cell published as '..' stays NULL.
    case when placed_cells = 0 then 0.0 else placed_share end as placed_0_17_pct,
    case when supported_cells = 0 then 0.0 else supported_share end as supported_0_17_pct
from cells
