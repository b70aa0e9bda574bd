with source as (
    select * from {{ source('landing', 'follow_ups') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        follow_up_id,
        measure_id,
        completed_date
    from source
)

select * from renamed
