{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_run_scope() }}",
        tags=['scoped'],
    )
}}

-- Goal attainment (målopfyldelse, SPEC §9): every goal of the register against every figure of
-- its goal indicator for the goal's municipality, with baseline, target, the actual figure and
-- its uncertainty, the straight line from baseline to target and a status. Reads only this
-- run's rows of indicator_values, so a cut-off date computed alone gives the same rows.
with indicator_values as (
    select * from {{ ref('indicator_values') }}
    where {{ in_run_scope() }}
),

register as (
    select * from {{ ref('goal_register') }}
),

reported as (
    select * from {{ ref('reported_goal_results') }}
),

focus_areas as (
    select * from {{ ref('focus_areas') }}
),

scope as (
    select distinct municipality_code, cutoff_date, delivery_date
    from indicator_values
),

-- A goal measured by an indicator: one row per figure of that indicator.
measured as (
    select
        register.goal_id,
        indicator_values.municipality_code,
        indicator_values.cutoff_date,
        indicator_values.period,
        indicator_values.unit,
        indicator_values.numerator,
        indicator_values.denominator,
        indicator_values.value,
        indicator_values.status as indicator_status,
        indicator_values.note as indicator_note,
        indicator_values.delivery_date
    from register
    inner join indicator_values
        on
            register.municipality_code = indicator_values.municipality_code
            and register.indicator_id = indicator_values.indicator_id
),

-- A goal no indicator measures still shows, once per cut-off date, as no_data.
unmeasured as (
    select
        register.goal_id,
        scope.municipality_code,
        scope.cutoff_date,
        strftime(scope.cutoff_date, '%Y-%m-%d') as period,
        cast(null as varchar) as unit,
        cast(null as double) as numerator,
        cast(null as double) as denominator,
        cast(null as double) as value,
        cast(null as varchar) as indicator_status,
        cast(null as varchar) as indicator_note,
        scope.delivery_date
    from register
    inner join scope
        on register.municipality_code = scope.municipality_code
    where register.indicator_id is null
),

figures as (
    select * from measured
    union all
    select * from unmeasured
),

with_goal as (
    select
        figures.*,
        register.source_document,
        register.focus_area_id,
        focus_areas.name_da as focus_area_name_da,
        register.goal_da,
        register.indicator_id,
        register.baseline_value,
        register.baseline_period,
        -- A target stated relative to the baseline (seed 003: "reduceres med 10 procent").
        coalesce(
            register.target_value,
            register.baseline_value * (1 + register.target_change_pct / 100)
        ) as target_value,
        register.target_period,
        register.target_direction,
        register.target_as_stated,
        register.success_threshold,
        {{ period_end('figures.period') }} as period_end_date,
        {{ period_end('register.baseline_period') }} as baseline_end_date,
        {{ period_end('register.target_period') }} as target_end_date,
        case
            when register.target_direction in ('rising', 'at_least') then 1
            when register.target_direction in ('falling', 'at_most') then -1
        end as better_sign
    from figures
    inner join register
        on figures.goal_id = register.goal_id
    left join focus_areas
        on register.focus_area_id = focus_areas.focus_area_id
),

-- The value a straight line from (baseline period, baseline) to (target period, target) has
-- reached at the figure's period: the pace "on track" asks for. Before the baseline period the
-- line stands at the baseline.
paced as (
    select
        *,
        coalesce(success_threshold, target_value) as threshold,
        case
            when
                baseline_value is not null
                and target_value is not null
                and baseline_end_date < target_end_date
                then baseline_value + (target_value - baseline_value) * least(
                    greatest(
                        cast(datediff('day', baseline_end_date, period_end_date) as double)
                        / datediff('day', baseline_end_date, target_end_date),
                        0
                    ),
                    1
                )
        end as expected_value,
        -- Wilson score interval (95 %) for shares (SPEC §10), in percent.
        case
            when unit = 'percent' and denominator > 0 and value is not null
                then numerator / denominator
        end as share,
        1.959963984540054 as z
    from with_goal
),

intervals as (
    select
        *,
        -- Clamped to [0, 100]: at a share of 0 or 1 float noise would stray past the ends.
        case
            when share is not null
                then greatest(0, 100 * (
                    share + z * z / (2 * denominator)
                    - z * sqrt(share * (1 - share) / denominator + z * z / (4 * denominator * denominator))
                ) / (1 + z * z / denominator))
        end as actual_lower_95,
        case
            when share is not null
                then least(100, 100 * (
                    share + z * z / (2 * denominator)
                    + z * sqrt(share * (1 - share) / denominator + z * z / (4 * denominator * denominator))
                ) / (1 + z * z / denominator))
        end as actual_upper_95,
        -- 1e-9: a share computed as 100 x n / n is exactly the target, but keep float noise out.
        better_sign * (value - coalesce(success_threshold, target_value)) >= -1e-9
            as satisfies_target,
        better_sign * (value - expected_value) >= -1e-9 as keeps_pace
    from paced
),

judged as (
    select
        *,
        case
            when indicator_id is null then 'no_data'
            when indicator_status != 'ok' or value is null then 'no_data'
            when target_value is null then 'no_data'
            when target_end_date is null or period_end_date >= target_end_date
                then case when satisfies_target then 'met' else 'not_met' end
            when satisfies_target or keeps_pace then 'on_track'
            else 'not_met'
        end as status,
        case
            when indicator_id is null then 'no goal indicator measures this goal'
            when indicator_status != 'ok' then 'the figure is not available: ' || indicator_note
            when value is null then 'no figure: nobody in the base (zero denominator)'
            when target_value is null
                then 'no numeric target' || coalesce(' (' || target_as_stated || ')', '')
            when target_end_date is null or period_end_date >= target_end_date
                then 'target period ' || coalesce(target_period, '(none: every period)')
                    || ' reached: judged against the target'
            when satisfies_target then 'before the target period, already at the target'
            when expected_value is not null
                then 'before the target period: compared with the straight line from the '
                    || 'baseline (' || baseline_period || ') to the target (' || target_period || ')'
            else 'before the target period, not at the target, and no baseline to measure pace from'
        end as status_note
    from intervals
)

select
    judged.municipality_code,
    judged.cutoff_date,
    judged.period,
    judged.goal_id,
    judged.source_document,
    judged.focus_area_id,
    judged.focus_area_name_da,
    judged.goal_da,
    judged.indicator_id,
    judged.unit,
    judged.baseline_value,
    judged.baseline_period,
    judged.target_value,
    judged.target_period,
    judged.target_direction,
    judged.success_threshold,
    judged.numerator,
    judged.denominator,
    judged.value as actual_value,
    judged.actual_lower_95,
    judged.actual_upper_95,
    judged.expected_value,
    judged.value - judged.baseline_value as change_since_baseline,
    case
        when judged.baseline_value != 0
            then 100 * (judged.value - judged.baseline_value) / abs(judged.baseline_value)
    end as change_since_baseline_pct,
    judged.status,
    judged.status_note,
    reported.reported_value,
    reported.reported_da,
    judged.delivery_date
from judged
left join reported
    on
        judged.goal_id = reported.goal_id
        and judged.period_end_date = {{ period_end('reported.period') }}
