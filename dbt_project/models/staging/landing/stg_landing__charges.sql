with source as (
    select * from {{ source('landing', 'charges') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        person_id,
        birth_date,
        sex,
        charge_date,
        severity
    from source
)

select * from renamed
