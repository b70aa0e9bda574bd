{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_run_scope() }}",
        tags=['scoped'],
    )
}}

{%- set tolerance_persons = reconciliation_tolerance('reconciliation_tolerance_persons') %}
{%- set tolerance_pct = reconciliation_tolerance('reconciliation_tolerance_pct') %}

-- The municipality's own count of placed 0-17-year-olds on 31 December against Danmarks
-- Statistik's ANBAAR9 (SPEC §5, §6). One row per municipality and 31 December cut-off date of
-- the run's scope; other cut-off dates have no row. When the run could not use ANBAAR9 (SPEC §6:
-- missing, unreadable or breaking its contract) the rows are there, not_available with the
-- reason, never "Danmarks Statistik has not published the year".
with scope as (
    select * from {{ ref('int_run_scope') }}
),

statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

dst as (
    select * from {{ ref('int_statbank_placed_0_17') }}
),

anbaar9 as (
    {{ statbank_table_usable('ANBAAR9') }}
),

year_ends as (
    select
        municipality_code,
        cutoff_date,
        delivery_date,
        year(cutoff_date) as year
    from scope
    where month(cutoff_date) = 12 and day(cutoff_date) = 31
),

-- Like with like: ANBAAR9 counts every placed child, so the comparison count has no
-- exclusions; the count after the key indicators' exclusions (SPEC §3) is shown beside it.
own_counts as (
    select
        municipality_code,
        cutoff_date,
        count(*) filter (where is_placed and is_aged_0_17) as placed_0_17,
        count(*) filter (
            where is_placed and is_aged_0_17
            and not is_unaccompanied_refugee
            and not disabled_on_cutoff
        ) as placed_0_17_after_exclusions
    from statuses
    group by municipality_code, cutoff_date
),

published_years as (
    select distinct year from dst
),

joined as (
    select
        year_ends.municipality_code,
        year_ends.cutoff_date,
        year_ends.year,
        year_ends.delivery_date,
        year_ends.cutoff_date > year_ends.delivery_date as own_not_covered,
        coalesce(own_counts.placed_0_17, 0) as own_placed_0_17,
        coalesce(own_counts.placed_0_17_after_exclusions, 0)
            as own_placed_0_17_after_exclusions,
        published_years.year is not null as dst_year_published,
        dst.placed_0_17 as dst_placed_0_17,
        dst.dst_status,
        anbaar9.usable as anbaar9_usable,
        anbaar9.reason_code as anbaar9_reason_code
    from year_ends
    cross join anbaar9
    left join own_counts
        on
            year_ends.municipality_code = own_counts.municipality_code
            and year_ends.cutoff_date = own_counts.cutoff_date
    left join published_years
        on year_ends.year = published_years.year
    left join dst
        on
            year_ends.municipality_code = dst.municipality_code
            and year_ends.year = dst.year
),

with_status as (
    select
        *,
        case
            when not anbaar9_usable then 'not_available'
            when own_not_covered then 'own_count_not_available'
            when not dst_year_published then 'dst_year_not_published'
            when dst_status = 'no_dst_row' then 'no_dst_row'
            when dst_status = 'suppressed' then 'dst_suppressed'
            else 'ok'
        end as status
    from joined
),

compared as (
    select
        *,
        case when status = 'ok' then own_placed_0_17 - dst_placed_0_17 end as difference
    from with_status
)

select
    municipality_code,
    cutoff_date,
    cast(year as integer) as year,
    case when not own_not_covered then cast(own_placed_0_17 as bigint) end as own_placed_0_17,
    case when not own_not_covered then cast(own_placed_0_17_after_exclusions as bigint) end
        as own_placed_0_17_after_exclusions,
    cast(dst_placed_0_17 as bigint) as dst_placed_0_17,
    cast(difference as bigint) as difference,
    -- Percent of DST's count; NULL when DST counted 0 (any difference then counts as relative).
    case
        when dst_placed_0_17 > 0 then round(100.0 * difference / dst_placed_0_17, 4)
    end as relative_difference_pct,
    cast({{ tolerance_persons }} as double) as tolerance_persons,
    cast({{ tolerance_pct }} as double) as tolerance_pct,
    -- Both must be exceeded; at the tolerance exactly is within it. Compared without division,
    -- so the boundary is exact.
    case
        when status = 'ok'
            then abs(difference) > {{ tolerance_persons }}
            and (
                dst_placed_0_17 = 0
                or abs(difference) * 100 > {{ tolerance_pct }} * dst_placed_0_17
            )
    end as exceeds_tolerance,
    status,
    case status
        when 'not_available'
            then {{ statbank_unusable_note('ANBAAR9', 'anbaar9_reason_code') }}
        when 'own_count_not_available'
            then 'the newest accepted delivery (' || delivery_date
                || ') is older than the cut-off date'
        when 'dst_year_not_published'
            then 'ANBAAR9 has no figures for ' || year || ' yet'
        when 'no_dst_row'
            then 'ANBAAR9 has no row for the municipality in ' || year
                || ' (not published for it, or every one of its cells was 0)'
        when 'dst_suppressed'
            then 'Danmarks Statistik suppressed the figure (..)'
    end as note,
    delivery_date
from compared
