{{ config(meta={'dagster': {'ref': {'name': 'published_indicator_values'}}}) }}

-- Secondary suppression, audited against the true counts: wherever a total is shown, its
-- hidden parts are never a single part (total minus the others would give it) and never add
-- up to a small count; an average over another indicator's persons (2, 2.x) is hidden exactly
-- when that indicator is (where both are available).
{%- set t = suppression_threshold() %}
with published as (
    select * from {{ ref('published_indicator_values') }}
),

true_values as (
    select * from {{ ref('indicator_values') }}
),

groups as (
    select * from {{ ref('suppression_groups') }}
),

parts as (
    select
        published.municipality_code,
        published.cutoff_date,
        groups.total_id,
        published.suppressed,
        published.unit,
        true_values.numerator,
        true_values.denominator
    from published
    inner join groups on published.indicator_id = groups.indicator_id
    inner join true_values
        on
            published.municipality_code = true_values.municipality_code
            and published.cutoff_date = true_values.cutoff_date
            and published.indicator_id = true_values.indicator_id
    where groups.total_id is not null
),

hidden_in_shown_groups as (
    select
        parts.municipality_code,
        parts.cutoff_date,
        parts.total_id,
        count(*) filter (where parts.suppressed) as hidden_parts,
        sum(parts.numerator) filter (where parts.suppressed) as hidden_numerator,
        sum(parts.denominator) filter (
            where parts.suppressed and parts.unit = 'per_person'
        ) as hidden_persons
    from parts
    inner join published as totals
        on
            parts.municipality_code = totals.municipality_code
            and parts.cutoff_date = totals.cutoff_date
            and parts.total_id = totals.indicator_id
    where totals.status = 'ok' and not totals.suppressed
    group by parts.municipality_code, parts.cutoff_date, parts.total_id
),

linked as (
    select
        published.municipality_code,
        published.cutoff_date,
        published.indicator_id
    from published
    inner join groups on published.indicator_id = groups.indicator_id
    inner join published as followed
        on
            published.municipality_code = followed.municipality_code
            and published.cutoff_date = followed.cutoff_date
            and groups.same_persons_as = followed.indicator_id
    -- Only between two published figures: a not_available indicator shows no numbers, and the
    -- one that averages over it then follows its own small-count rule.
    where
        published.suppressed != followed.suppressed
        and published.status = 'ok'
        and followed.status = 'ok'
)

select municipality_code, cutoff_date, total_id as indicator_id, 'lone or small hidden parts' as problem
from hidden_in_shown_groups
where
    hidden_parts = 1
    or {{ is_small_count('hidden_numerator', t) }}
    or {{ is_small_count('hidden_persons', t) }}
union all
select municipality_code, cutoff_date, indicator_id, 'not hidden with the indicator it averages over'
from linked
