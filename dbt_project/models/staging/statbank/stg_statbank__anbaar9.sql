with source as (
    select * from {{ source('statbank', 'anbaar9') }}
),

renamed as (
    select
        municipality_code,
        age_group,
        cast(year as integer) as year,
        cast(placed as bigint) as placed
    from source
)

select * from renamed
