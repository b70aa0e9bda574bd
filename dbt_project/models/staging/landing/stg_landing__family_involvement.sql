with source as (
    select * from {{ source('landing', 'family_involvement') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        person_id,
        birth_date,
        sex,
        recorded_date,
        status
    from source
)

select * from renamed
