with source as (
    select * from {{ source('statbank', 'folk1a_national') }}
),

renamed as (
    select
        sex,
        cast(age as integer) as age,
        marital_status,
        quarter,
        cast(quarter_start as date) as quarter_start,
        cast(persons as bigint) as persons
    from source
)

select * from renamed
