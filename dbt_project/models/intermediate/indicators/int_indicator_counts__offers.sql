{{ config(materialized='ephemeral') }}

-- Indicator 10: of the persons with an authority-granted § 11, stk. 3 offer active at any time
-- in (D - 6 months, D], those with a child investigation (investigations.csv only) decided
-- strictly after the start of such an offer and on or before D (SPEC §5, §11). An
-- investigation decided on the day the offer starts does not count. Exclusions on D and in the
-- window.
with statuses as (
    select * from {{ ref('int_person_statuses') }}
    where {{ in_run_scope() }}
),

investigations as (
    select * from {{ ref('stg_landing__investigations') }}
),

offered as (
    select * from statuses
    where
        first_granted_offer_start is not null
        and is_aged_0_17
        and not is_unaccompanied_refugee
        and not disabled_in_half_year
),

investigated as (
    select
        offered.municipality_code,
        offered.cutoff_date,
        offered.person_id,
        count(investigations.investigation_id) > 0 as was_investigated
    from offered
    left join investigations
        on
            offered.municipality_code = investigations.municipality_code
            and offered.person_id = investigations.person_id
            and investigations.decision_date > offered.first_granted_offer_start
            and investigations.decision_date <= offered.cutoff_date
    group by offered.municipality_code, offered.cutoff_date, offered.person_id
)

select
    municipality_code,
    cutoff_date,
    '10' as indicator_id,
    count(*) filter (where was_investigated) as numerator,
    count(*) as denominator
from investigated
group by municipality_code, cutoff_date
