{{ config(alias='goal_attainment') }}

-- goal_attainment for BI, with small counts suppressed (the rules: this model's YAML).
-- provisional: the figure's cut-off date is too close to its delivery (macros/provisional.sql).
select
    *,
    {{ is_provisional('cutoff_date', 'delivery_date') }} as provisional
from (
{{ suppress_small_counts(
    ref('goal_attainment'),
    counts=['numerator', 'denominator'],
    derived=['actual_value', 'actual_lower_95', 'actual_upper_95', 'change_since_baseline', 'change_since_baseline_pct', 'status'],
    complements=[['numerator', 'denominator']],
) }}
)
