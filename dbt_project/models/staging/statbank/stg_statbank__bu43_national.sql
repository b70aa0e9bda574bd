with source as (
    select * from {{ source('statbank', 'bu43_national') }}
),

renamed as (
    select
        measure_group,
        age_group,
        cast(year as integer) as year,
        cast(share_pct as double) as share_pct
    from source
)

select * from renamed
