{{ config(alias='reconciliation') }}

-- reconciliation for BI, with small counts suppressed (the rules: this model's YAML).
{{ suppress_small_counts(
    ref('reconciliation'),
    counts=['own_placed_0_17', 'own_placed_0_17_after_exclusions'],
    derived=['difference', 'relative_difference_pct', 'exceeds_tolerance'],
    complements=[],
) }}
