{{
    config(
        alias='ladder_transitions',
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_run_scope_or_threshold_change() }}",
        tags=['scoped'],
    )
}}

{#- Small-cell suppression of the transition matrix for BI (SPEC §10, §12); the rules are in the
    YAML. Each cell lies on two lines: its row (same from_step, total to_step = ALL) and its
    column (same to_step, total from_step = ALL); the totals' own row and column are lines too.
    A line gives a hidden cell away when it has exactly one hidden entry (the total minus the
    others), or when its total is shown and its hidden cells add up to a small count. Each
    round hides, on every such line, its smallest shown non-zero cell (a total only when no
    cell is left). The rounds stop changing anything long before the last one; the data test
    assert_no_transition_cell_can_be_worked_out checks the result.

    Each matrix is suppressed on its own, so a run recomputes only its scope: the twelve rounds
    over every matrix of the country cost more than the rest of a one-municipality nightly
    build (benchmarks/README.md). Rows made under another threshold are made again. -#}
{%- set t = suppression_threshold() %}
{%- set rounds = 12 %}

with transitions as (
    select * from {{ ref('ladder_transitions') }} as transitions
    {%- if is_incremental() %}
    -- The run's scope, and any matrix the table lacks (the pre-hook removed those made under
    -- another threshold).
    where {{ in_run_scope() }} or not exists (
        select 1
        from {{ this }} as published
        where
            published.municipality_code = transitions.municipality_code
            and published.cutoff_date = transitions.cutoff_date
    )
    {%- endif %}
),

municipalities as (
    select * from {{ ref('municipalities') }}
),

round_0 as materialized (
    select
        *,
        {{ is_small_count('persons', t) }} as hidden
    from transitions
),

{%- for round in range(1, rounds + 1) %}
{%- set previous = 'round_' ~ (round - 1) %}

-- Round {{ round }}: the lines that still give something away, and what each hides next.
line_state_{{ round }} as (
    select
        municipality_code,
        cutoff_date,
        transition_interval,
        line_kind,
        line_key,
        count(*) filter (where hidden) = 1
        or (
            not bool_or(hidden and is_line_total)
            and {{ is_small_count('sum(persons) filter (where hidden and not is_line_total)', t) }}
        ) as needs_protection
    from (
        select *, 'row' as line_kind, from_step as line_key, to_step = 'ALL' as is_line_total
        from {{ previous }}
        union all
        select *, 'column' as line_kind, to_step as line_key, from_step = 'ALL' as is_line_total
        from {{ previous }}
    )
    group by municipality_code, cutoff_date, transition_interval, line_kind, line_key
),

candidates_{{ round }} as (
    select
        lines.municipality_code,
        lines.cutoff_date,
        lines.transition_interval,
        lines.from_step,
        lines.to_step,
        row_number() over (
            partition by
                lines.municipality_code, lines.cutoff_date, lines.transition_interval,
                lines.line_kind, lines.line_key
            order by lines.is_line_total, lines.persons, lines.from_step, lines.to_step
        ) as candidate_rank
    from (
        select *, 'row' as line_kind, from_step as line_key, to_step = 'ALL' as is_line_total
        from {{ previous }}
        union all
        select *, 'column' as line_kind, to_step as line_key, from_step = 'ALL' as is_line_total
        from {{ previous }}
    ) as lines
    inner join line_state_{{ round }} as state
        on lines.municipality_code = state.municipality_code
        and lines.cutoff_date = state.cutoff_date
        and lines.transition_interval = state.transition_interval
        and lines.line_kind = state.line_kind
        and lines.line_key = state.line_key
    where state.needs_protection and not lines.hidden and lines.persons > 0
),

round_{{ round }} as materialized (
    select
        cells.* exclude (hidden),
        cells.hidden or exists (
            select 1
            from candidates_{{ round }} as candidates
            where
                candidates.candidate_rank = 1
                and candidates.municipality_code = cells.municipality_code
                and candidates.cutoff_date = cells.cutoff_date
                and candidates.transition_interval = cells.transition_interval
                and candidates.from_step = cells.from_step
                and candidates.to_step = cells.to_step
        ) as hidden
    from {{ previous }} as cells
),
{%- endfor %}

suppressed as (
    select * from round_{{ rounds }}
)

select
    suppressed.municipality_code,
    municipalities.name as municipality_name,
    suppressed.cutoff_date,
    suppressed.transition_interval,
    suppressed.comparison_date,
    suppressed.from_step,
    suppressed.from_step_number,
    suppressed.from_step_name_da,
    suppressed.to_step,
    suppressed.to_step_number,
    suppressed.to_step_name_da,
    case when suppressed.hidden then null else suppressed.persons end as persons,
    suppressed.hidden as suppressed,
    {{ t }} as suppression_threshold
from suppressed
left join municipalities on suppressed.municipality_code = municipalities.municipality_code
