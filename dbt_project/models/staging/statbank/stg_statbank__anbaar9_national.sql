with source as (
    select * from {{ source('statbank', 'anbaar9_national') }}
),

renamed as (
    select
        age_group,
        cast(year as integer) as year,
        cast(placed as bigint) as placed
    from source
)

select * from renamed
