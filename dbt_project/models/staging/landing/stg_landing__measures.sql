with source as (
    select * from {{ source('landing', 'measures') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        measure_id,
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
        placement_type,
        placement_dst_code,
        start_date,
        end_date,
        end_reason,
        disability,
        authority_granted,
        provider,
        case_id,
        placement_site_id
    from source
)

select * from renamed
