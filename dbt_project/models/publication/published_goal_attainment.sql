{{ config(alias='goal_attainment') }}

-- goal_attainment for BI, with small counts suppressed (the rules: this model's YAML).
{{ suppress_small_counts(
    ref('goal_attainment'),
    counts=['numerator', 'denominator'],
    derived=['actual_value', 'actual_lower_95', 'actual_upper_95', 'change_since_baseline', 'change_since_baseline_pct', 'status'],
    complements=[['numerator', 'denominator']],
) }}
