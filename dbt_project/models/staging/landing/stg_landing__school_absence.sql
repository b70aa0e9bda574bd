with source as (
    select * from {{ source('landing', 'school_absence') }}
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
        municipal_school,
        absence_pct
    from source
)

select * from renamed
