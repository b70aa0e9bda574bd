{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_run_scope() }}",
        tags=['scoped'],
    )
}}

-- One row per municipality, cut-off date D and person with a measure near D: where the person
-- stood on D, on the previous cut-off date P and on D - 1 year, and what touched the windows
-- (D - 6 months, D] and (D - 1 year, D]. Every indicator reads its persons from here, so "active
-- on", "current placement" and the exclusions are worked out once (SPEC §2, §3, §11).
with scope as (
    select * from {{ ref('int_run_scope') }}
),

measures as (
    select * from {{ ref('int_measures_classified') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

spells as (
    select * from {{ ref('int_placement_type_spells') }}
),

placement_steps as (
    select * from {{ ref('ladder_step_placement_types') }}
),

-- The earliest day any indicator of D looks at.
scope_windows as (
    select
        *,
        least(
            coalesce(previous_cutoff_date, year_before_date), year_before_date
        ) as earliest_date
    from scope
),

measures_near_cutoff as (
    select
        scope_windows.municipality_code,
        scope_windows.cutoff_date,
        scope_windows.previous_cutoff_date,
        scope_windows.year_before_date,
        scope_windows.half_year_before_date,
        measures.*,
        {{ active_on('scope_windows.cutoff_date') }} as active_on_cutoff,
        {{ active_on('scope_windows.previous_cutoff_date') }} as active_on_previous,
        {{ active_on('scope_windows.year_before_date') }} as active_on_year_before,
        {{ active_in_window('scope_windows.half_year_before_date', 'scope_windows.cutoff_date') }}
            as active_in_half_year,
        {{ active_in_window('scope_windows.year_before_date', 'scope_windows.cutoff_date') }}
            as active_in_year,
        -- Current placement order (SPEC §3, §11): latest start, then greatest measure_id.
        struct_pack(
            s := measures.start_date,
            n := coalesce(measures.measure_id_number, 0),
            t := measures.measure_id
        ) as placement_order,
        struct_pack(
            placement_type := measures.placement_type,
            is_institution := measures.is_institution,
            counts_in_indicator_3 := measures.counts_in_indicator_3,
            counts_in_indicator_4 := measures.counts_in_indicator_4
        ) as placement
    from scope_windows
    inner join measures
        on scope_windows.municipality_code = measures.municipality_code
        and measures.start_date <= scope_windows.cutoff_date
        and (measures.end_date is null or measures.end_date >= scope_windows.earliest_date)
),

per_person as (
    select
        municipality_code,
        cutoff_date,
        person_id,
        any_value(previous_cutoff_date) as previous_cutoff_date,
        any_value(year_before_date) as year_before_date,

        -- On D
        bool_or(is_placement and active_on_cutoff) as is_placed,
        arg_max(placement, placement_order) filter (where is_placement and active_on_cutoff)
            as current_placement,
        bool_or(is_home_based and active_on_cutoff) as has_home_based,
        bool_or(is_family_residential and active_on_cutoff) as has_family_residential,
        bool_or(is_respite and active_on_cutoff) as has_respite,
        bool_or(
            is_home_based and not is_family_residential and not is_respite and active_on_cutoff
        ) as has_other_home_based,
        bool_or(is_parent_directed and active_on_cutoff) as has_parent_directed,
        count(*) filter (where is_granted_offer and active_on_cutoff) as granted_offers,
        bool_or(is_placement and is_institution and active_on_cutoff)
            as has_institution_placement,
        bool_or(is_placement and is_foster_family and active_on_cutoff)
            as has_foster_family_placement,
        bool_or(disability and active_on_cutoff) as disabled_on_cutoff,

        -- On the previous cut-off date P (indicator 7)
        bool_or(is_placement and active_on_previous) as was_placed_on_previous,
        arg_max(placement, placement_order) filter (where is_placement and active_on_previous)
            as previous_placement,
        bool_or(disability and active_on_previous) as disabled_on_previous,
        bool_or(is_home_based and active_on_previous) as had_home_based_on_previous,
        bool_or(is_granted_offer and active_on_previous) as had_granted_offer_on_previous,

        -- On D - 1 year (indicators 8, 9)
        bool_or(is_home_based and active_on_year_before) as had_home_based_year_before,
        bool_or(is_placement and active_on_year_before) as was_placed_year_before,
        bool_or(disability and active_on_year_before) as disabled_on_year_before,
        arg_max(placement, placement_order) filter (where is_placement and active_on_year_before)
            as year_before_placement,
        bool_or(is_granted_offer and active_on_year_before) as had_granted_offer_year_before,

        -- In (D - 6 months, D] (indicator 10) and (D - 1 year, D] (indicator 12)
        min(start_date) filter (where is_granted_offer and active_in_half_year)
            as first_granted_offer_start,
        bool_or(disability and active_in_half_year) as disabled_in_half_year,
        bool_or(disability and active_in_year) as disabled_in_year
    from measures_near_cutoff
    group by municipality_code, cutoff_date, person_id
),

with_person as (
    select
        per_person.*,
        persons.birth_date,
        persons.is_unaccompanied_refugee,
        {{ age_on('persons.birth_date', 'per_person.cutoff_date') }} as age_on_cutoff,
        {{ age_on('persons.birth_date', 'per_person.previous_cutoff_date') }} as age_on_previous,
        per_person.current_placement.placement_type as current_placement_type,
        coalesce(per_person.current_placement.is_institution, false) as is_institution_placed,
        per_person.previous_placement.placement_type as previous_placement_type,
        coalesce(per_person.previous_placement.is_institution, false)
            as was_institution_placed_on_previous
    from per_person
    inner join persons
        on per_person.municipality_code = persons.municipality_code
        and per_person.person_id = persons.person_id
),

with_spell as (
    select
        with_person.*,
        spells.spell_start_date as current_spell_start_date
    from with_person
    left join spells
        on with_person.municipality_code = spells.municipality_code
        and with_person.person_id = spells.person_id
        and with_person.current_placement_type = spells.placement_type
        and spells.spell_start_date <= with_person.cutoff_date
        and (spells.spell_end_date is null or spells.spell_end_date >= with_person.cutoff_date)
),

-- The ladder step (SPEC §12) on D, P and D - 1 year: the current placement's step when placed
-- (ladder_step_placement_types), else home-based help, else a granted offer, else none.
with_steps as (
    select
        with_spell.*,
        coalesce(
            on_cutoff.step_code,
            case
                when with_spell.has_home_based then 'HOME_BASED'
                when with_spell.granted_offers > 0 then 'PREVENTIVE_OFFER'
                else 'NONE'
            end
        ) as step_on_cutoff,
        coalesce(
            on_previous.step_code,
            case
                when with_spell.had_home_based_on_previous then 'HOME_BASED'
                when with_spell.had_granted_offer_on_previous then 'PREVENTIVE_OFFER'
                else 'NONE'
            end
        ) as step_on_previous,
        coalesce(
            on_year_before.step_code,
            case
                when with_spell.had_home_based_year_before then 'HOME_BASED'
                when with_spell.had_granted_offer_year_before then 'PREVENTIVE_OFFER'
                else 'NONE'
            end
        ) as step_on_year_before
    from with_spell
    left join placement_steps as on_cutoff
        on with_spell.current_placement_type = on_cutoff.placement_type
    left join placement_steps as on_previous
        on with_spell.previous_placement_type = on_previous.placement_type
    left join placement_steps as on_year_before
        on with_spell.year_before_placement.placement_type = on_year_before.placement_type
)

select
    municipality_code,
    cutoff_date,
    person_id,
    birth_date,
    age_on_cutoff,
    age_on_previous,
    age_on_cutoff between 0 and 17 as is_aged_0_17,
    is_unaccompanied_refugee,
    is_placed,
    current_placement_type,
    is_institution_placed,
    coalesce(current_placement.counts_in_indicator_3, false) as is_foster_family_placed,
    coalesce(current_placement.counts_in_indicator_4, false) as is_network_foster_family_placed,
    current_spell_start_date,
    has_home_based,
    has_family_residential,
    has_respite,
    has_other_home_based,
    has_parent_directed,
    granted_offers,
    has_institution_placement,
    has_foster_family_placement,
    disabled_on_cutoff,
    was_placed_on_previous,
    previous_placement_type,
    was_institution_placed_on_previous,
    disabled_on_previous,
    had_home_based_year_before,
    was_placed_year_before,
    disabled_on_year_before,
    first_granted_offer_start,
    disabled_in_half_year,
    disabled_in_year,
    step_on_cutoff,
    step_on_previous,
    step_on_year_before
from with_steps
