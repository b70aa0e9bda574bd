with source as (
    select * from {{ source('landing', 'action_plans') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        line_number,
        plan_id,
        person_id,
        birth_date,
        sex,
        created_date,
        measure_id
    from source
)

select * from renamed
