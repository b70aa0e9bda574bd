-- Every accepted measure with the flags the indicators ask about, from the category and
-- placement type seeds (SPEC §4), so no indicator names a category or type itself.
with measures as (
    select * from {{ ref('stg_landing__measures') }}
),

categories as (
    select * from {{ ref('measure_categories') }}
),

placement_types as (
    select * from {{ ref('placement_type_codes') }}
),

-- SPEC §11: ties between placements are broken by the greatest measure_id, compared as numbers
-- when every id of the municipality's measures.csv is a number, otherwise as text.
id_kinds as (
    select
        municipality_code,
        bool_and(regexp_full_match(measure_id, '[0-9]{1,30}')) as ids_are_numbers
    from measures
    group by municipality_code
),

classified as (
    select
        measures.municipality_code,
        measures.measure_id,
        measures.person_id,
        measures.category,
        measures.placement_type,
        -- The site only means something on a placement (as the placement type, SPEC §11).
        case when measures.category = 'PLACEMENT' then measures.placement_site_id end
            as placement_site_id,
        measures.start_date,
        measures.end_date,
        measures.end_reason,
        measures.provider,
        measures.disability,
        measures.authority_granted,
        coalesce(categories.parent_category, measures.category) = 'HOME_BASED' as is_home_based,
        measures.category = 'FAMILY_RESIDENTIAL' as is_family_residential,
        measures.category = 'RESPITE' as is_respite,
        measures.category = 'PLACEMENT' as is_placement,
        measures.category = 'PREVENTIVE_OFFER' as is_preventive_offer,
        measures.category = 'PREVENTIVE_OFFER' and measures.authority_granted as is_granted_offer,
        measures.category = 'PARENT_DIRECTED' as is_parent_directed,
        measures.category = 'ORDER' as is_order,
        coalesce(placement_types.is_institution, false) as is_institution,
        coalesce(placement_types.is_foster_family, false) as is_foster_family,
        coalesce(placement_types.counts_in_indicator_3, false) as counts_in_indicator_3,
        coalesce(placement_types.counts_in_indicator_4, false) as counts_in_indicator_4,
        case when id_kinds.ids_are_numbers then cast(measures.measure_id as hugeint) end
            as measure_id_number
    from measures
    left join categories
        on measures.category = categories.category
    left join placement_types
        on measures.category = 'PLACEMENT'
        and measures.placement_type = placement_types.placement_type
    inner join id_kinds
        on measures.municipality_code = id_kinds.municipality_code
)

select * from classified
