{{ config(alias='peer_medians') }}

-- The median of the other municipalities of the deployment (peers), for every municipality,
-- indicator and cut-off date: the comparison line of the report, and the same figure for BI.
-- Built from the published, suppressed rows on purpose, so that it rests only on figures a
-- reader already sees; so it needs no suppression of its own (the rules: its YAML).
with published as (
    select * from {{ ref('published_indicator_values') }}
),

municipalities as (
    select distinct municipality_code from published
),

-- What a reader sees: available, not suppressed, not empty.
shown as (
    select
        municipality_code,
        indicator_id,
        cutoff_date,
        value
    from published
    where status = 'ok' and not suppressed and value is not null and not isnan(value)
),

-- Each indicator and date: the shown values with their municipality, gathered once.
by_date as (
    select
        indicator_id,
        cutoff_date,
        list({'municipality_code': municipality_code, 'value': value}) as shown_values
    from shown
    group by indicator_id, cutoff_date
),

-- For every municipality of the deployment: the other municipalities' values, its own left out.
others as (
    select
        municipalities.municipality_code,
        by_date.indicator_id,
        by_date.cutoff_date,
        list_transform(
            list_filter(
                by_date.shown_values,
                lambda shown_value: shown_value.municipality_code
                <> municipalities.municipality_code
            ),
            lambda shown_value: shown_value.value
        ) as other_values
    from municipalities
    cross join by_date
)

-- list_median: the mean of the two middle values when the count is even (as numpy's median).
select
    municipality_code,
    indicator_id,
    cutoff_date,
    list_median(other_values) as median_value,
    cast(len(other_values) as integer) as municipalities_compared
from others
where len(other_values) > 0
