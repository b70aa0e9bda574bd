with source as (
    select * from {{ source('landing', 'child_conversations') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        person_id,
        birth_date,
        sex,
        conversation_date,
        goals_achieved
    from source
)

select * from renamed
