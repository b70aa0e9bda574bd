{{ config(alias='reconciliation') }}

-- reconciliation for BI, with small counts suppressed (the rules: this model's YAML), and its
-- note in Danish beside it. Worded here, from status and note, as published_indicator_values
-- does: the mart is incremental, and a new column there would break every existing warehouse's
-- next build (on_schema_change='fail').
select
    *,
    case status
        when 'not_available'
            then {{ statbank_unusable_note_da('ANBAAR9', statbank_reason_code_of_note('note')) }}
        when 'own_count_not_available'
            then 'Den nyeste godkendte leverance (' || strftime(delivery_date, '%d-%m-%Y')
                || ') er ældre end skæringsdatoen.'
        when 'dst_year_not_published'
            then 'Danmarks Statistik (ANBAAR9) har endnu ikke offentliggjort tal for '
                || year || '.'
        when 'no_dst_row'
            then 'Danmarks Statistik (ANBAAR9) har ingen række for kommunen i ' || year
                || ' (ikke offentliggjort for kommunen, eller alle dens tal var 0).'
        when 'dst_suppressed'
            then 'Danmarks Statistik har diskretioneret tallet (..).'
    end as note_da
from (
    {{ suppress_small_counts(
        ref('reconciliation'),
        counts=['own_placed_0_17', 'own_placed_0_17_after_exclusions'],
        derived=['difference', 'relative_difference_pct', 'exceeds_tolerance'],
        complements=[],
    ) }}
)
