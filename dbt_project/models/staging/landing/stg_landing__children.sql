with source as (
    select * from {{ source('landing', 'children') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        person_id,
        birth_date,
        sex,
        unaccompanied_refugee
    from source
)

select * from renamed
