with source as (
    select * from {{ source('landing', 'wellbeing') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        person_id,
        birth_date,
        sex,
        assessment_date,
        score
    from source
)

select * from renamed
