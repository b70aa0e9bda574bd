{{ config(meta={'dagster': {'ref': {'name': 'published_peer_medians'}}}) }}

-- Suppression reaches the peer medians (SPEC §10): each published median is of exactly the
-- other municipalities' shown values (published, not suppressed, not empty): as many as they
-- are, and between the smallest and largest shown value of its date; and a date where another
-- municipality shows a value has a median for every municipality of the deployment.
with published as (
    select * from {{ ref('published_indicator_values') }}
),

medians as (
    select * from {{ ref('published_peer_medians') }}
),

municipalities as (
    select distinct municipality_code from published
),

shown as (
    select municipality_code, indicator_id, cutoff_date, value
    from published
    where status = 'ok' and not suppressed and value is not null and not isnan(value)
),

by_date as (
    select
        indicator_id,
        cutoff_date,
        count(*) as shown_count,
        min(value) as lowest,
        max(value) as highest
    from shown
    group by indicator_id, cutoff_date
),

expected as (
    select
        municipalities.municipality_code,
        by_date.indicator_id,
        by_date.cutoff_date,
        by_date.shown_count - cast(own.municipality_code is not null as integer) as compared,
        by_date.lowest,
        by_date.highest
    from municipalities
    cross join by_date
    left join shown as own
        on
            municipalities.municipality_code = own.municipality_code
            and by_date.indicator_id = own.indicator_id
            and by_date.cutoff_date = own.cutoff_date
    where by_date.shown_count - cast(own.municipality_code is not null as integer) > 0
)

select
    coalesce(expected.municipality_code, medians.municipality_code) as municipality_code,
    coalesce(expected.indicator_id, medians.indicator_id) as indicator_id,
    coalesce(expected.cutoff_date, medians.cutoff_date) as cutoff_date
from expected
full outer join medians
    on
        expected.municipality_code = medians.municipality_code
        and expected.indicator_id = medians.indicator_id
        and expected.cutoff_date = medians.cutoff_date
where
    expected.municipality_code is null
    or medians.municipality_code is null
    or medians.municipalities_compared <> expected.compared
    or medians.median_value < expected.lowest
    or medians.median_value > expected.highest
