-- Where anyone is institution-placed (the base of 1.1-1.3, the count of indicator 1),
-- 1.1 + 1.2 + 1.3 = 100 %: the three institution types cover them all.
with values as (
    select * from {{ ref('indicator_values') }}
    where indicator_id in ('1.1', '1.2', '1.3') and status = 'ok'
),

pivoted as (
    select
        municipality_code,
        cutoff_date,
        max(denominator) as placed,
        sum(value) as shares
    from values
    group by municipality_code, cutoff_date
)

select * from pivoted
where placed > 0 and abs(shares - 100) > 1e-9
