with source as (
    select * from {{ source('statbank', 'anbaar12_national') }}
),

renamed as (
    select
        placement_dst_code,
        cast(year as integer) as year,
        cast(placed as bigint) as placed
    from source
)

select * from renamed
