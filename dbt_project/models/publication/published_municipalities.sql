{{ config(alias='municipalities') }}

-- The municipalities for BI: codes, names and regions.
with municipalities as (
    select * from {{ ref('municipalities') }}
)

select
    municipality_code,
    name,
    region_code,
    region_name,
    dst_region_code
from municipalities
