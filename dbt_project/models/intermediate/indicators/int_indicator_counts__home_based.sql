{{ config(materialized='ephemeral') }}

-- Indicators 5, 5.1-5.4, 6, 8 and 9: home-based help and preventive offers.
with statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

-- 5, 5.x and 6: aged 0-17 on D, not a refugee, no disability measure active on D.
counted_on_cutoff as (
    select * from statuses
    where
        is_aged_0_17
        and not is_unaccompanied_refugee
        and not disabled_on_cutoff
),

on_cutoff as (
    select
        municipality_code,
        cutoff_date,
        unnest(['5', '5.1', '5.2', '5.3', '5.4', '6']) as indicator_id,
        unnest([
            count(*) filter (where has_home_based),
            count(*) filter (where has_family_residential),
            count(*) filter (where has_respite),
            count(*) filter (where has_other_home_based),
            -- 5.4 is a count: numerator = value, no denominator (SPEC §11).
            count(*) filter (where is_placed and has_parent_directed),
            -- 6 counts offers, not persons (SPEC §11).
            sum(granted_offers)
        ]) as numerator,
        null as denominator
    from counted_on_cutoff
    group by municipality_code, cutoff_date
),

-- 8 and 9: aged 0-17 on D with home-based help on D - 1 year; exclusions on D and D - 1 year.
helped_year_before as (
    select * from statuses
    where
        is_aged_0_17
        and had_home_based_year_before
        and not is_unaccompanied_refugee
        and not disabled_on_cutoff
        and not disabled_on_year_before
),

indicator_8 as (
    select
        municipality_code,
        cutoff_date,
        '8' as indicator_id,
        count(*) filter (where is_placed) as numerator,
        count(*) as denominator
    from helped_year_before
    where not was_placed_year_before
    group by municipality_code, cutoff_date
),

-- "Out of the system" looks only at home-based measures and placements (SPEC §11).
indicator_9 as (
    select
        municipality_code,
        cutoff_date,
        '9' as indicator_id,
        count(*) filter (where not has_home_based and not is_placed) as numerator,
        count(*) as denominator
    from helped_year_before
    group by municipality_code, cutoff_date
)

select * from on_cutoff
union all
select * from indicator_8
union all
select * from indicator_9
