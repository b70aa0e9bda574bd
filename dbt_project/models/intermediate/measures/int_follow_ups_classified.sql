-- Completed follow-ups with the follow-up groups of their measure (indicator 12): 12 takes every
-- PLACEMENT and HOME_BASED measure, 12.1 institution-type placements, 12.2 foster family
-- placements (general, municipal, network), 12.3 HOME_BASED measures (SPEC §11).
with follow_ups as (
    select * from {{ ref('stg_landing__follow_ups') }}
),

measures as (
    select * from {{ ref('int_measures_classified') }}
),

classified as (
    select
        follow_ups.municipality_code,
        follow_ups.follow_up_id,
        follow_ups.measure_id,
        follow_ups.completed_date,
        measures.person_id,
        measures.is_placement or measures.is_home_based as in_group_12,
        measures.is_placement and measures.is_institution as in_group_12_1,
        measures.is_placement and measures.is_foster_family as in_group_12_2,
        measures.is_home_based as in_group_12_3
    from follow_ups
    inner join measures
        on follow_ups.municipality_code = measures.municipality_code
        and follow_ups.measure_id = measures.measure_id
)

select * from classified
