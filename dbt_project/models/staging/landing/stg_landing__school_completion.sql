with source as (
    select * from {{ source('landing', 'school_completion') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        person_id,
        birth_date,
        sex,
        school_year,
        completed_9th_grade
    from source
)

select * from renamed
