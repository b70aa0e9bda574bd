with source as (
    select * from {{ source('landing', 'expenses') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        month,
        account,
        amount_dkk
    from source
)

select * from renamed
