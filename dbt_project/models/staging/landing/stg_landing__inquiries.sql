with source as (
    select * from {{ source('landing', 'inquiries') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        inquiry_id,
        inquiry_date,
        channel,
        outcome
    from source
)

select * from renamed
