-- How long placement episodes last, per municipality and entry year (SPEC §12): the entry
-- cohort's episodes, how many ended, the Kaplan-Meier share still in care after 182, 365 and
-- 730 days with 95 % intervals (Greenwood's variance on the log(-log) scale) and the median
-- duration. The rules are in the YAML.
{%- set horizons = [182, 365, 730] %}
{%- set z = 1.959963984540054 %}

with episodes as (
    select * from {{ ref('int_placement_episode_durations') }}
),

curve as (
    select * from {{ ref('int_placement_survival') }}
),

-- A row for every entry year with an episode in the delivery, cohort or not.
cohorts as (
    select
        municipality_code,
        entry_year,
        any_value(delivery_date) as delivery_date,
        count(*) filter (where in_cohort) as episodes,
        count(*) filter (where in_cohort and ended) as ended,
        max(duration_days) filter (where in_cohort) as longest_duration_days
    from episodes
    group by municipality_code, entry_year
),

{%- for t in horizons %}

-- S({{ t }}): the curve's last step on or before t; 1 before the first; NULL past the longest
-- observed duration (the curve says nothing there).
at_{{ t }} as (
    select
        cohorts.municipality_code,
        cohorts.entry_year,
        case
            when cohorts.episodes = 0 or cohorts.longest_duration_days < {{ t }} then null
            else coalesce(step.survival, 1.0)
        end as survival,
        coalesce(step.greenwood_sum, 0.0) as greenwood_sum
    from cohorts
    left join (
        select * from curve
        where duration_days <= {{ t }}
        qualify row_number() over (
            partition by municipality_code, entry_year order by duration_days desc
        ) = 1
    ) as step
        on cohorts.municipality_code = step.municipality_code
        and cohorts.entry_year = step.entry_year
),
{%- endfor %}

medians as (
    select
        municipality_code,
        entry_year,
        min(duration_days) filter (where survival <= 0.5) as median_days
    from curve
    group by municipality_code, entry_year
)

select
    cohorts.municipality_code,
    cohorts.entry_year,
    cohorts.delivery_date,
    -- The delivery's own year is still running: later entries and ends will come.
    cohorts.entry_year = year(cohorts.delivery_date) as is_partial_year,
    cohorts.episodes,
    cohorts.ended,
    {%- for t in horizons %}
    100 * at_{{ t }}.survival as still_in_care_{{ t }}_pct,
    -- log(-log) interval: S ^ exp(+-z se), se = sqrt(Greenwood sum) / |ln S|; none at 0 or 100 %.
    case
        when at_{{ t }}.survival > 0 and at_{{ t }}.survival < 1
            then 100 * pow(
                at_{{ t }}.survival,
                exp({{ z }} * sqrt(at_{{ t }}.greenwood_sum) / abs(ln(at_{{ t }}.survival)))
            )
    end as still_in_care_{{ t }}_ci_low,
    case
        when at_{{ t }}.survival > 0 and at_{{ t }}.survival < 1
            then 100 * pow(
                at_{{ t }}.survival,
                exp(-{{ z }} * sqrt(at_{{ t }}.greenwood_sum) / abs(ln(at_{{ t }}.survival)))
            )
    end as still_in_care_{{ t }}_ci_high,
    {%- endfor %}
    medians.median_days
from cohorts
{%- for t in horizons %}
left join at_{{ t }}
    on cohorts.municipality_code = at_{{ t }}.municipality_code
    and cohorts.entry_year = at_{{ t }}.entry_year
{%- endfor %}
left join medians
    on cohorts.municipality_code = medians.municipality_code
    and cohorts.entry_year = medians.entry_year
