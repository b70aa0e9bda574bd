with source as (
    select * from {{ source('landing', 'deliveries') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        status,
        rejection,
        warnings,
        run_id,
        ingested_at
    from source
)

select * from renamed
