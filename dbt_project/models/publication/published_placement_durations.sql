{{ config(alias='placement_durations') }}

{#- Small-cell suppression of the entry-cohort durations for BI (SPEC §10, §12); the rules are
    in the YAML. -#}
{%- set t = suppression_threshold() %}
{%- set estimates = [] %}
{%- for horizon in [182, 365, 730] %}
{%- for suffix in ['pct', 'ci_low', 'ci_high'] %}
{%- do estimates.append('still_in_care_' ~ horizon ~ '_' ~ suffix) %}
{%- endfor %}
{%- endfor %}
{%- do estimates.append('median_days') %}

with durations as (
    select * from {{ ref('placement_durations') }}
),

municipalities as (
    select * from {{ ref('municipalities') }}
),

flagged as (
    select
        *,
        -- A cohort below the threshold publishes no estimates, and not its size either.
        {{ is_small_count('episodes', t) }} as is_small_cohort,
        -- The ended episodes, and the censored ones beside them, are counts of persons too.
        {{ is_small_count('ended', t) }} or {{ is_small_count('episodes - ended', t) }}
            as is_small_ended
    from durations
)

select
    flagged.municipality_code,
    municipalities.name as municipality_name,
    flagged.entry_year,
    flagged.is_partial_year,
    flagged.delivery_date,
    case when flagged.is_small_cohort then null else flagged.episodes end as episodes,
    case when flagged.is_small_cohort or flagged.is_small_ended then null else flagged.ended end
        as ended,
    {%- for column in estimates %}
    case when flagged.is_small_cohort then null else flagged.{{ column }} end as {{ column }},
    {%- endfor %}
    flagged.is_small_cohort as suppressed,
    flagged.is_small_cohort or flagged.is_small_ended as ended_suppressed,
    {{ t }} as suppression_threshold
from flagged
left join municipalities on flagged.municipality_code = municipalities.municipality_code
