{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_run_scope() }}",
        tags=['scoped'],
    )
}}

-- One row per municipality, cut-off date and indicator of the catalogue, and per goal
-- indicator and the period it describes (SPEC §9): never a missing row, never a silent 0. The
-- counts come from the int_indicator_counts__* models and int_goal_counts; here they get
-- their denominators, units, values and statuses. A goal indicator measured per calendar or
-- school year has rows only on the cut-off dates that carry a year (int_cutoff_dates).
with scope as (
    select * from {{ ref('int_run_scope') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

population as (
    select * from {{ ref('population_0_17') }}
),

counts as (
    select * from {{ ref('int_indicator_counts__placements') }}
    union all
    select * from {{ ref('int_indicator_counts__home_based') }}
    union all
    select * from {{ ref('int_indicator_counts__offers') }}
    union all
    select * from {{ ref('int_indicator_counts__follow_ups') }}
    union all
    select * from {{ ref('int_indicator_counts__stability') }}
),

expenses as (
    select * from {{ ref('int_indicator_counts__expenses') }}
),

goal_counts as (
    select * from {{ ref('int_goal_counts') }}
),

delivery_files as (
    select * from {{ ref('stg_landing__delivery_files') }}
),

core_file_inputs as (
    select * from {{ ref('core_file_inputs') }}
),

grid as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        scope.delivery_date,
        scope.previous_cutoff_date,
        scope.population_quarter_start,
        scope.expense_months_start,
        indicators.indicator_id,
        coalesce(indicators.parent_id, indicators.indicator_id) as main_indicator_id,
        indicators.unit,
        indicators.input_file,
        indicators.denominator_source,
        -- The period the figure describes: the cut-off date, or the year D carries.
        case indicators.period_kind
            when 'calendar_year' then cast(scope.calendar_year as varchar)
            when 'school_year' then scope.school_year
            else strftime(scope.cutoff_date, '%Y-%m-%d')
        end as period
    from scope
    cross join indicators
    where
        indicators.period_kind = 'cutoff'
        or (indicators.period_kind = 'calendar_year' and scope.calendar_year is not null)
        or (indicators.period_kind = 'school_year' and scope.school_year is not null)
),

joined as (
    select
        grid.*,
        coalesce(counts.numerator, expenses.numerator, goal_counts.numerator)
            as counted_numerator,
        coalesce(counts.denominator, expenses.denominator, goal_counts.denominator)
            as counted_denominator,
        population.persons_0_17,
        expenses.expenses_delivered,
        expenses.months_with_rows,
        coalesce(delivery_files.present, false) as input_file_delivered,
        core_file_inputs.input_file as core_input_file,
        core_files.rows_accepted as core_input_rows
    from grid
    left join counts
        on
            grid.municipality_code = counts.municipality_code
            and grid.cutoff_date = counts.cutoff_date
            and grid.indicator_id = counts.indicator_id
    left join expenses
        on
            grid.municipality_code = expenses.municipality_code
            and grid.cutoff_date = expenses.cutoff_date
            and grid.indicator_id = expenses.indicator_id
    left join goal_counts
        on
            grid.municipality_code = goal_counts.municipality_code
            and grid.cutoff_date = goal_counts.cutoff_date
            and grid.indicator_id = goal_counts.indicator_id
    left join population
        on
            grid.municipality_code = population.municipality_code
            and grid.population_quarter_start = population.quarter_start
    left join delivery_files
        on
            grid.municipality_code = delivery_files.municipality_code
            and grid.delivery_date = delivery_files.delivery_date
            and grid.input_file = delivery_files.file
    left join core_file_inputs
        on grid.indicator_id = core_file_inputs.indicator_id
    left join delivery_files as core_files
        on
            grid.municipality_code = core_files.municipality_code
            and grid.delivery_date = core_files.delivery_date
            and core_file_inputs.input_file = core_files.file
),

-- The first reason that makes the figure unavailable, or NULL.
with_note as (
    select
        *,
        case
            when cutoff_date > delivery_date
                then 'the newest accepted delivery (' || delivery_date
                    || ') is older than the cut-off date'
            -- An optional file the indicator needs (indicators seed) was not delivered.
            when input_file is not null and not input_file_delivered
                then input_file || '.csv was not delivered'
            -- A core file with no accepted row is an export gone wrong, not a count of 0.
            when core_input_file is not null and coalesce(core_input_rows, 0) = 0
                then core_input_file || '.csv of the delivery of ' || delivery_date
                    || ' has no accepted rows'
            when indicator_id = '11' and not expenses_delivered
                then 'expenses.csv was not in the delivery of ' || delivery_date
            when indicator_id = '11' and months_with_rows < 3
                then 'expenses.csv has no rows for some of the months '
                    || strftime(expense_months_start, '%Y-%m') || ' to '
                    || strftime(cutoff_date, '%Y-%m')
            when main_indicator_id = '7' and previous_cutoff_date is null
                then 'the cut-off calendar has no date before ' || cutoff_date
            when denominator_source = 'population_0_17' and persons_0_17 is null
                then 'no FOLK1A population aged 0-17 for quarter '
                    || year(population_quarter_start) || 'K' || quarter(population_quarter_start)
        end as unavailable_because
    from joined
),

valued as (
    select
        municipality_code,
        cutoff_date,
        indicator_id,
        period,
        unit,
        delivery_date,
        unavailable_because,
        case
            when unavailable_because is not null then null
            else cast(coalesce(counted_numerator, 0) as double)
        end as numerator,
        case
            when unavailable_because is not null then null
            when denominator_source = 'population_0_17' then cast(persons_0_17 as double)
            when unit = 'count' then null
            else cast(coalesce(counted_denominator, 0) as double)
        end as denominator
    from with_note
)

select
    municipality_code,
    cutoff_date,
    period,
    indicator_id,
    numerator,
    denominator,
    -- A zero denominator gives NULL, never 0 (SPEC §11).
    case
        when numerator is null then null
        when unit = 'count' then numerator
        when denominator = 0 then null
        when unit = 'per_1000' then numerator * 1000 / denominator
        -- ST1: moves per 1,000 care days (SPEC §12).
        when unit = 'per_1000_care_days' then numerator * 1000 / denominator
        when unit = 'percent' then 100 * numerator / denominator
        -- S6: the change relative to the base year's count.
        when unit = 'percent_change' then 100 * (numerator - denominator) / denominator
        -- G3: an average age, one decimal (SPEC §9).
        when unit = 'years' then round(numerator / denominator, 1)
        else numerator / denominator
    end as value,
    unit,
    case when unavailable_because is null then 'ok' else 'not_available' end as status,
    unavailable_because as note,
    delivery_date
from valued
