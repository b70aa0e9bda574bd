{{ config(materialized='ephemeral') }}

-- Indicators 1-4 and 7 (the Anbringelsesstatistikken group), from the person statuses. Long
-- format: one row per municipality, cut-off date and indicator with a count or a sum; the mart
-- adds the FOLK1A denominators, units and statuses.
with statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

-- 1-6: aged 0-17 on D, not an unaccompanied refugee, no disability measure active on D.
counted_on_cutoff as (
    select * from statuses
    where
        is_aged_0_17
        and not is_unaccompanied_refugee
        and not disabled_on_cutoff
),

institution_placed as (
    select
        *,
        -- Both days counted (SPEC §5, indicator 2).
        datediff('day', current_spell_start_date, cutoff_date) + 1 as spell_days
    from counted_on_cutoff
    where is_institution_placed
),

per_1000_counts as (
    select
        municipality_code,
        cutoff_date,
        unnest(['1', '3', '4']) as indicator_id,
        unnest([
            count(*) filter (where is_institution_placed),
            count(*) filter (where is_foster_family_placed),
            count(*) filter (where is_network_foster_family_placed)
        ]) as numerator,
        null as denominator
    from counted_on_cutoff
    group by municipality_code, cutoff_date
),

indicator_2 as (
    select
        municipality_code,
        cutoff_date,
        '2' as indicator_id,
        sum(spell_days) as numerator,
        count(*) as denominator
    from institution_placed
    group by municipality_code, cutoff_date
),

-- 1.1-1.3: share of the institution-placed at each type; 2.1-2.3: average spell days per type.
-- The type of each sub-indicator comes from the indicators seed.
by_type as (
    select
        institution_placed.municipality_code,
        institution_placed.cutoff_date,
        indicators.indicator_id,
        indicators.parent_id,
        count(*) as institution_placed,
        count(*) filter (
            where institution_placed.current_placement_type = indicators.placement_type
        ) as of_type,
        coalesce(sum(institution_placed.spell_days) filter (
            where institution_placed.current_placement_type = indicators.placement_type
        ), 0) as spell_days_of_type
    from institution_placed
    inner join indicators
        on indicators.parent_id in ('1', '2')
    group by
        institution_placed.municipality_code,
        institution_placed.cutoff_date,
        indicators.indicator_id,
        indicators.parent_id
),

sub_indicators as (
    select
        municipality_code,
        cutoff_date,
        indicator_id,
        case when parent_id = '1' then of_type else spell_days_of_type end as numerator,
        case when parent_id = '1' then institution_placed else of_type end as denominator
    from by_type
),

-- 7: persons in indicator 1 on the previous cut-off date P who are still under 18 on D.
-- Exclusions on D and on P (SPEC §11).
institution_placed_on_previous as (
    select * from statuses
    where
        was_institution_placed_on_previous
        and age_on_previous between 0 and 17
        and age_on_cutoff < 18
        and not is_unaccompanied_refugee
        and not disabled_on_previous
        and not disabled_on_cutoff
),

indicator_7 as (
    select
        municipality_code,
        cutoff_date,
        unnest(['7', '7.1', '7.2']) as indicator_id,
        unnest([
            count(*) filter (where not is_institution_placed),
            -- "Placed" is any placement type, so own room, boarding school and other count here.
            count(*) filter (where is_placed and not is_institution_placed),
            count(*) filter (where not is_placed)
        ]) as numerator,
        count(*) as denominator
    from institution_placed_on_previous
    group by municipality_code, cutoff_date
)

select * from per_1000_counts
union all
select * from indicator_2
union all
select * from sub_indicators
union all
select * from indicator_7
