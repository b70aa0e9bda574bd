with source as (
    select * from {{ source('landing', 'investigations') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        investigation_id,
        person_id,
        birth_date,
        sex,
        legal_reference,
        law,
        paragraph,
        letter,
        stk,
        nr,
        category,
        decision_date,
        completed_date
    from source
)

select * from renamed
