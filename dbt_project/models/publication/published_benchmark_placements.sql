{{ config(alias='benchmark_placements') }}

-- benchmark_placements for BI, with small counts suppressed (the rules: this model's YAML).
{{ suppress_small_counts(
    ref('benchmark_placements'),
    counts=['placed_all_ages'],
    derived=['foster_family_share_pct', 'municipal_foster_family_share_pct', 'network_foster_family_share_pct', 'residential_institution_share_pct', 'secure_institution_share_pct', 'social_pedagogical_home_share_pct', 'own_room_share_pct', 'boarding_school_share_pct', 'other_share_pct', 'institution_share_pct'],
    complements=[],
) }}
