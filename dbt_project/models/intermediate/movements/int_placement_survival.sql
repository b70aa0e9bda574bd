-- The Kaplan-Meier curve of each entry cohort's placement episodes (SPEC §12): one row per
-- distinct duration t observed in the cohort (an end or a censoring), with the persons at
-- risk (duration >= t, so an episode censored at t is still at risk at t: ends come before
-- censorings), the ends at t, the survival S(t) = the estimated share still in care after t
-- days (product over end times u <= t of 1 - ends(u) / at_risk(u)), and Greenwood's sum
-- (sum of ends / (at_risk x (at_risk - ends)) over the same times) for the variance.
-- Written in SQL rather than with a library (lifelines is not a dependency, and the
-- estimator is a few lines): one implementation, beside the data, tested in
-- tests/e2e/test_movements_golden.py against Freireich's 6-MP data (Gehan 1965).
with episodes as (
    select * from {{ ref('int_placement_episode_durations') }}
    where in_cohort
),

per_duration as (
    select
        municipality_code,
        entry_year,
        duration_days,
        count(*) filter (where ended) as ended,
        count(*) filter (where not ended) as censored
    from episodes
    group by municipality_code, entry_year, duration_days
),

at_risk as (
    select
        *,
        sum(ended + censored) over (
            partition by municipality_code, entry_year
            order by duration_days desc
            rows between unbounded preceding and current row
        ) as at_risk
    from per_duration
),

curve as (
    select
        municipality_code,
        entry_year,
        duration_days,
        at_risk,
        ended,
        censored,
        product(1 - ended / at_risk) over up_to_t as survival,
        sum(
            case when ended < at_risk then ended / (at_risk * (at_risk - ended)) else 0 end
        ) over up_to_t as greenwood_sum
    from at_risk
    window up_to_t as (
        partition by municipality_code, entry_year
        order by duration_days
        rows between unbounded preceding and current row
    )
)

select * from curve
