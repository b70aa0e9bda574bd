with source as (
    select * from {{ source('landing', 'housing_centre_stays') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        person_id,
        birth_date,
        sex,
        centre_id,
        start_date,
        end_date,
        destination
    from source
)

select * from renamed
