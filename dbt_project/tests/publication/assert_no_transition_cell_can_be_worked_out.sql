{{ config(meta={'dagster': {'ref': {'name': 'published_ladder_transitions'}}}) }}

-- The audit of the matrix's suppression, from the published cells alone (and the true counts
-- of the hidden ones): no shown cell is small, no row or column has exactly one hidden entry,
-- and where a line's total is shown its hidden cells do not add up to a small count.
{%- set t = suppression_threshold() %}
with published as (
    select * from {{ ref('published_ladder_transitions') }}
),

truth as (
    select * from {{ ref('ladder_transitions') }}
),

cells as (
    select published.*, truth.persons as true_persons
    from published
    inner join truth
        on published.municipality_code = truth.municipality_code
        and published.cutoff_date = truth.cutoff_date
        and published.transition_interval = truth.transition_interval
        and published.from_step = truth.from_step
        and published.to_step = truth.to_step
),

lines as (
    select *, 'row' as line_kind, from_step as line_key, to_step = 'ALL' as is_line_total
    from cells
    union all
    select *, 'column' as line_kind, to_step as line_key, from_step = 'ALL' as is_line_total
    from cells
),

line_state as (
    select
        municipality_code,
        cutoff_date,
        transition_interval,
        line_kind,
        line_key,
        count(*) filter (where suppressed) as hidden_entries,
        bool_or(suppressed and is_line_total) as total_hidden,
        sum(true_persons) filter (where suppressed and not is_line_total) as hidden_sum,
        count(*) filter (where not suppressed and {{ is_small_count('persons', t) }})
            as small_shown,
        count(*) filter (where suppressed and persons is not null) as hidden_with_number
    from lines
    group by municipality_code, cutoff_date, transition_interval, line_kind, line_key
)

select * from line_state
where
    small_shown > 0
    or hidden_with_number > 0
    or hidden_entries = 1
    or (not total_hidden and {{ is_small_count('hidden_sum', t) }})
