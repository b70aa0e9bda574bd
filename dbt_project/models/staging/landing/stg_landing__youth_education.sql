with source as (
    select * from {{ source('landing', 'youth_education') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        person_id,
        birth_date,
        sex,
        start_date,
        completed_date,
        kind
    from source
)

select * from renamed
