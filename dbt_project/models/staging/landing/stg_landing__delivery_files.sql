with source as (
    select * from {{ source('landing', 'delivery_files') }}
),

renamed as (
    select
        municipality_code,
        delivery_date,
        file,
        present,
        rows_read,
        rows_accepted,
        rows_quarantined,
        encoding,
        delimiter,
        unknown_columns
    from source
)

select * from renamed
