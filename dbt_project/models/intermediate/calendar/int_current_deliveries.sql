-- The delivery each municipality's landing rows come from: its newest accepted delivery.
with deliveries as (
    select * from {{ ref('stg_landing__deliveries') }}
),

accepted as (
    select
        municipality_code,
        delivery_date
    from deliveries
    where status = 'accepted'
    qualify row_number() over (partition by municipality_code order by delivery_date desc) = 1
)

select * from accepted
