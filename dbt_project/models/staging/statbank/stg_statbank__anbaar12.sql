with source as (
    select * from {{ source('statbank', 'anbaar12') }}
),

renamed as (
    select
        municipality_code,
        placement_dst_code,
        cast(year as integer) as year,
        cast(placed as bigint) as placed
    from source
)

select * from renamed
