-- Every person no longer institution-placed is either placed in another form (7.1) or not
-- placed (7.2): the numerators add up, and the three share one base.
with values as (
    select * from {{ ref('indicator_values') }}
    where indicator_id in ('7', '7.1', '7.2') and status = 'ok'
),

pivoted as (
    select
        municipality_code,
        cutoff_date,
        max(numerator) filter (where indicator_id = '7') as n7,
        max(numerator) filter (where indicator_id = '7.1') as n71,
        max(numerator) filter (where indicator_id = '7.2') as n72,
        count(distinct denominator) as bases
    from values
    group by municipality_code, cutoff_date
)

select * from pivoted
where n7 != n71 + n72 or bases > 1
