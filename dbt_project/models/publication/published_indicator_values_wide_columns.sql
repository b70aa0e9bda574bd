{{ config(alias='indicator_values_wide_columns') }}

-- The columns of indicator_values_wide, in order, with the indicator (or the column of
-- indicator_values) each holds: the wide table's Danish column names are for people, this
-- mapping is for machines. published_indicator_values_wide reads its column names from here.
with indicators as (
    select * from {{ ref('indicators') }}
),

units as (
    select * from {{ ref('units') }}
),

key_columns as (
    select * from (
        values
        (1, 'Kommunekode', 'municipality_code', 'Kommunekode (Danmarks Statistiks 3-cifrede kode).'),
        (2, 'Kommune', 'municipality_name', 'Kommunens navn.'),
        (3, 'Region', 'region_name', 'Kommunens region.'),
        (4, 'Skæringsdato', 'cutoff_date', 'Skæringsdatoen, tallene gælder for.'),
        (5, 'Foreløbig', 'provisional', 'Sand, når tallene er foreløbige: skæringsdatoen ligger kort før leverancen (SPEC §13).')
    ) as keys (column_position, column_name, source_column, description_da)
),

indicator_columns as (
    select
        cast(
            (select max(column_position) from key_columns)
            + row_number() over (order by indicators.sort_order, indicators.indicator_id)
            as integer
        ) as column_position,
        indicators.indicator_id || ' ' || indicators.short_name_da as column_name,
        'value' as source_column,
        indicators.indicator_id,
        indicators.sort_order,
        indicators.unit,
        units.unit_da,
        indicators.indicator_id || '. ' || indicators.name_da || ' (' || units.unit_da || ')'
            as description_da
    from indicators
    left join units on indicators.unit = units.unit
)

select
    cast(column_position as integer) as column_position,
    column_name,
    source_column,
    cast(null as varchar) as indicator_id,
    cast(null as integer) as sort_order,
    cast(null as varchar) as unit,
    cast(null as varchar) as unit_da,
    description_da
from key_columns
union all
select
    column_position,
    column_name,
    source_column,
    indicator_id,
    sort_order,
    unit,
    unit_da,
    description_da
from indicator_columns
order by column_position
