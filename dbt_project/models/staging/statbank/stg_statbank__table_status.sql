with source as (
    select * from {{ source('statbank', 'table_status') }}
),

renamed as (
    select
        table_code,
        status,
        -- previous_kept: the tables of an earlier snapshot are there and are used.
        status <> 'unavailable' as is_usable,
        reason_code,
        reason
    from source
)

select * from renamed
