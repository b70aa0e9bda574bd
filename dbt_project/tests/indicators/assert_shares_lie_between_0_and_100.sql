-- A percentage is a share of its base.
select * from {{ ref('indicator_values') }}
where unit = 'percent' and (value < 0 or value > 100 or numerator > denominator)
