{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_run_scope() }}",
        tags=['scoped'],
    )
}}

-- Movements on the indsatstrappe (SPEC §12): per municipality, cut-off date D and interval,
-- the persons by their ladder step on the comparison date C (from_step) and on D (to_step).
-- 4m: C = the previous cut-off of the calendar (as indicator 7); 12m: C = D - 1 year (as 8).
-- Every cell of the 7 x 7 matrix is a row (0 when empty), with the row totals (to_step ALL),
-- the column totals (from_step ALL) and the grand total.
with scope as (
    select * from {{ ref('int_run_scope') }}
),

statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

steps as (
    select * from {{ ref('ladder_steps') }}
),

-- A matrix needs a comparison date, and a cut-off date the delivery covers (indicators 7 and 8
-- are not_available otherwise).
intervals as (
    select
        municipality_code,
        cutoff_date,
        '4m' as transition_interval,
        previous_cutoff_date as comparison_date
    from scope
    where previous_cutoff_date is not null and cutoff_date <= delivery_date
    union all
    select
        municipality_code,
        cutoff_date,
        '12m' as transition_interval,
        year_before_date as comparison_date
    from scope
    where cutoff_date <= delivery_date
),

-- Each person once per interval: under 18 on D and born on or before C, not excluded on C or
-- on D (refugee flag; a disability measure active on the day), and above NONE on C or on D.
movements as (
    select
        intervals.municipality_code,
        intervals.cutoff_date,
        intervals.transition_interval,
        case intervals.transition_interval
            when '4m' then statuses.step_on_previous
            else statuses.step_on_year_before
        end as from_step,
        statuses.step_on_cutoff as to_step
    from intervals
    inner join statuses
        on intervals.municipality_code = statuses.municipality_code
        and intervals.cutoff_date = statuses.cutoff_date
    where
        statuses.age_on_cutoff < 18
        and statuses.birth_date <= intervals.comparison_date
        and not statuses.is_unaccompanied_refugee
        and not statuses.disabled_on_cutoff
        and not (
            case intervals.transition_interval
                when '4m' then statuses.disabled_on_previous
                else statuses.disabled_on_year_before
            end
        )
),

counted_movements as (
    select * from movements
    where not (from_step = 'NONE' and to_step = 'NONE')
),

-- Cells, row totals, column totals and the grand total in one pass.
cell_counts as (
    select
        municipality_code,
        cutoff_date,
        transition_interval,
        coalesce(from_step, 'ALL') as from_step,
        coalesce(to_step, 'ALL') as to_step,
        count(*) as persons
    from counted_movements
    group by grouping sets (
        (municipality_code, cutoff_date, transition_interval, from_step, to_step),
        (municipality_code, cutoff_date, transition_interval, from_step),
        (municipality_code, cutoff_date, transition_interval, to_step),
        (municipality_code, cutoff_date, transition_interval)
    )
),

step_axis as (
    select step_code, step, name_da from steps
    union all
    select 'ALL' as step_code, null as step, 'I alt' as name_da
),

grid as (
    select
        intervals.municipality_code,
        intervals.cutoff_date,
        intervals.transition_interval,
        intervals.comparison_date,
        from_axis.step_code as from_step,
        from_axis.step as from_step_number,
        from_axis.name_da as from_step_name_da,
        to_axis.step_code as to_step,
        to_axis.step as to_step_number,
        to_axis.name_da as to_step_name_da
    from intervals
    cross join step_axis as from_axis
    cross join step_axis as to_axis
)

select
    grid.municipality_code,
    grid.cutoff_date,
    grid.transition_interval,
    grid.comparison_date,
    grid.from_step,
    grid.from_step_number,
    grid.from_step_name_da,
    grid.to_step,
    grid.to_step_number,
    grid.to_step_name_da,
    -- NONE -> NONE is not counted (SPEC §12): 0 by definition.
    coalesce(cell_counts.persons, 0) as persons
from grid
left join cell_counts
    on grid.municipality_code = cell_counts.municipality_code
    and grid.cutoff_date = cell_counts.cutoff_date
    and grid.transition_interval = cell_counts.transition_interval
    and grid.from_step = cell_counts.from_step
    and grid.to_step = cell_counts.to_step
