-- The placement episodes of SPEC §12's entry cohorts, with their durations and whether they
-- ended. An episode joins placements of any type with no uncovered day between them
-- (int_placement_episodes, the §11 rule across types). Its duration counts both its first and
-- its last day. It ended when its last day is on or before the delivery date and before the
-- 18th birthday; otherwise it is censored on the earlier of the delivery date and the day
-- before the 18th birthday (a person still placed on their 18th birthday leaves the cohort's
-- risk set then, whatever happens after).
with episodes as (
    select * from {{ ref('int_placement_episodes') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

deliveries as (
    select * from {{ ref('int_current_deliveries') }}
),

disability_measures as (
    select * from {{ ref('int_measures_classified') }}
    where disability
),

with_person as (
    select
        episodes.municipality_code,
        episodes.person_id,
        episodes.episode_number,
        episodes.episode_start_date,
        episodes.episode_end_date,
        year(episodes.episode_start_date) as entry_year,
        deliveries.delivery_date,
        {{ age_on('persons.birth_date', 'episodes.episode_start_date') }} as age_on_entry,
        {{ birthday('persons.birth_date', 18) }} as eighteenth_birthday,
        persons.is_unaccompanied_refugee
    from episodes
    inner join persons
        on episodes.municipality_code = persons.municipality_code
        and episodes.person_id = persons.person_id
    inner join deliveries
        on episodes.municipality_code = deliveries.municipality_code
),

-- SPEC §12: the cohort is the episodes of persons under 18 on the first day, not excluded
-- (refugee flag; a disability measure active on the first day).
flagged as (
    select
        with_person.*,
        with_person.age_on_entry < 18
        and not with_person.is_unaccompanied_refugee
        and not exists (
            select 1
            from disability_measures
            where
                disability_measures.municipality_code = with_person.municipality_code
                and disability_measures.person_id = with_person.person_id
                and {{ active_on(
                    'with_person.episode_start_date',
                    'disability_measures.start_date',
                    'disability_measures.end_date'
                ) }}
        ) as in_cohort,
        coalesce(
            with_person.episode_end_date <= with_person.delivery_date
            and with_person.episode_end_date < with_person.eighteenth_birthday,
            false
        ) as ended
    from with_person
)

select
    municipality_code,
    person_id,
    episode_number,
    entry_year,
    episode_start_date,
    episode_end_date,
    delivery_date,
    in_cohort,
    ended,
    case
        when ended then episode_end_date
        else least(delivery_date, eighteenth_birthday - 1)
    end as observed_until,
    datediff(
        'day',
        episode_start_date,
        case
            when ended then episode_end_date
            else least(delivery_date, eighteenth_birthday - 1)
        end
    ) + 1 as duration_days
from flagged
