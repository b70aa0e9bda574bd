with source as (
    select * from {{ source('landing', 'caseworker_assignments') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        case_id,
        person_id,
        birth_date,
        sex,
        caseworker_id,
        role,
        from_date,
        to_date
    from source
)

select * from renamed
