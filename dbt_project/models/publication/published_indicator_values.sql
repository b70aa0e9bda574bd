{{ config(alias='indicator_values') }}

{#- Small-cell suppression and 95 % intervals of the key indicators, for BI (SPEC §10). The
    rules are in the model's description (published_indicator_values.yml); the linked and
    additive indicators come from the suppression_groups seed. -#}
{%- set t = suppression_threshold() %}

with indicator_values as (
    select * from {{ ref('indicator_values') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

municipalities as (
    select * from {{ ref('municipalities') }}
),

groups as (
    select * from {{ ref('suppression_groups') }}
),

units as (
    select * from {{ ref('units') }}
),

cells as (
    select
        indicator_values.*,
        indicators.name_da as indicator_name_da,
        indicators.sort_order,
        indicators.ladder_step,
        groups.total_id,
        groups.same_persons_as
    from indicator_values
    inner join indicators on indicator_values.indicator_id = indicators.indicator_id
    left join groups on indicator_values.indicator_id = groups.indicator_id
),

-- Primary suppression: a count of persons (or offers, or follow-ups) from 1 to threshold - 1.
-- For a share, the persons outside the numerator (denominator - numerator) are a count too.
-- Sums of days (2.x) and kroner (11) are not counts; the persons they are over are.
primary_suppressed as (
    select
        *,
        status = 'ok' and (
            (unit in ('per_1000', 'count') and {{ is_small_count('numerator', t) }})
            -- ST1 follows the rule for rates (SPEC §12): its count is the moves.
            or (unit = 'per_1000_care_days' and {{ is_small_count('numerator', t) }})
            or (unit = 'percent' and (
                {{ is_small_count('numerator', t) }}
                or {{ is_small_count('denominator', t) }}
                or {{ is_small_count('denominator - numerator', t) }}
            ))
            or (unit = 'days' and {{ is_small_count('denominator', t) }})
            or (unit = 'per_person' and (
                {{ is_small_count('numerator', t) }} or {{ is_small_count('denominator', t) }}
            ))
        ) as is_primary
    from cells
),

-- A hidden total hides its parts: they share its persons (1.x, 7.x) or add up to it.
round_0 as (
    select
        parts.* exclude (is_primary),
        parts.is_primary or coalesce(totals.is_primary, false) as hidden
    from primary_suppressed as parts
    left join primary_suppressed as totals
        on
            parts.municipality_code = totals.municipality_code
            and parts.cutoff_date = totals.cutoff_date
            and parts.total_id = totals.indicator_id
),

{#- Secondary suppression, in rounds. A group (a visible total with its parts) needs
    protection when exactly one part is hidden (total minus the others gives it away) or the
    hidden parts add up to a small count. Each round hides the smallest visible non-zero part
    of every such group; two rounds are enough for three parts. The round after that hides the
    total itself where no part was left to hide. -#}
{%- for round in [1, 2, 3] %}

group_state_{{ round }} as (
    select
        parts.municipality_code,
        parts.cutoff_date,
        parts.total_id,
        (
            totals.status = 'ok' and not totals.hidden
            and count(*) filter (where parts.hidden) > 0
            and (
                count(*) filter (where parts.hidden) = 1
                or {{ is_small_count('sum(parts.numerator) filter (where parts.hidden)', t) }}
                or {{ is_small_count(
                    "sum(parts.denominator) filter (where parts.hidden and parts.unit = 'per_person')",
                    t
                ) }}
            )
        ) as needs_protection
    from round_{{ round - 1 }} as parts
    inner join round_{{ round - 1 }} as totals
        on
            parts.municipality_code = totals.municipality_code
            and parts.cutoff_date = totals.cutoff_date
            and parts.total_id = totals.indicator_id
    group by parts.municipality_code, parts.cutoff_date, parts.total_id, totals.status, totals.hidden
),

candidates_{{ round }} as (
    select
        municipality_code,
        cutoff_date,
        indicator_id,
        row_number() over (
            partition by municipality_code, cutoff_date, total_id
            order by numerator, denominator, sort_order
        ) as candidate_rank
    from round_{{ round - 1 }}
    where
        total_id is not null
        and status = 'ok'
        and not hidden
        and (numerator > 0 or (unit = 'per_person' and denominator > 0))
),

round_{{ round }} as (
    select
        cells.* exclude (hidden),
        cells.hidden
        {%- if round < 3 %}
        -- the smallest visible non-zero part of a group that needs protection
        or coalesce(own_group.needs_protection and candidates.candidate_rank = 1, false)
        {%- else %}
        -- no part was left to hide: hide the total (its parts follow below)
        or coalesce(as_total.needs_protection, false)
        {%- endif %} as hidden
    from round_{{ round - 1 }} as cells
    left join group_state_{{ round }} as own_group
        on
            cells.municipality_code = own_group.municipality_code
            and cells.cutoff_date = own_group.cutoff_date
            and cells.total_id = own_group.total_id
    left join candidates_{{ round }} as candidates
        on
            cells.municipality_code = candidates.municipality_code
            and cells.cutoff_date = candidates.cutoff_date
            and cells.indicator_id = candidates.indicator_id
    left join group_state_{{ round }} as as_total
        on
            cells.municipality_code = as_total.municipality_code
            and cells.cutoff_date = as_total.cutoff_date
            and cells.indicator_id = as_total.total_id
),
{%- endfor %}

-- The parts of a total hidden in round 3.
with_parts_of_hidden_totals as (
    select
        parts.* exclude (hidden),
        parts.hidden or coalesce(totals.hidden, false) as hidden
    from round_3 as parts
    left join round_3 as totals
        on
            parts.municipality_code = totals.municipality_code
            and parts.cutoff_date = totals.cutoff_date
            and parts.total_id = totals.indicator_id
),

-- Averages over the persons of another indicator (2 over 1, 2.x over 1.x) follow it.
suppressed as (
    select
        cells.* exclude (hidden),
        cells.hidden or coalesce(linked.hidden, false) as suppressed
    from with_parts_of_hidden_totals as cells
    left join with_parts_of_hidden_totals as linked
        on
            cells.municipality_code = linked.municipality_code
            and cells.cutoff_date = linked.cutoff_date
            and cells.same_persons_as = linked.indicator_id
),

-- Intervals from the true counts; suppressed rows lose them below with everything else.
with_intervals as (
    select
        *,
        case
            when status <> 'ok' then null
            when unit = 'percent' then 100 * wilson_lower(numerator, denominator)
            when unit in ('per_1000', 'per_1000_care_days') and denominator > 0
                then poisson_exact_lower(numerator) * 1000 / denominator
            when unit = 'count' then poisson_exact_lower(numerator)
        end as interval_low,
        case
            when status <> 'ok' then null
            when unit = 'percent' then 100 * wilson_upper(numerator, denominator)
            when unit in ('per_1000', 'per_1000_care_days') and denominator > 0
                then poisson_exact_upper(numerator) * 1000 / denominator
            when unit = 'count' then poisson_exact_upper(numerator)
        end as interval_high
    from suppressed
),

-- What a reader sees: counts as whole numbers, Danish labels beside the codes (the
-- published_indicator_values.yml description lists the columns).
published as (
    select
        with_intervals.*,
        -- Kroner (11) and score points (G8) are the only figures that are not counts: their
        -- exact amounts go in the *_amount columns, every count is a BIGINT.
        unit in ('ratio', 'points') as numerator_is_amount,
        unit = 'ratio' as denominator_is_amount,
        case
            when with_intervals.suppressed then 'suppressed'
            when with_intervals.note is null and with_intervals.status = 'ok'
                and with_intervals.value is null then 'zero_denominator'
            when with_intervals.note is null then null
            when regexp_matches(with_intervals.note, '^the newest accepted delivery \(')
                then 'delivery_before_cutoff'
            when regexp_matches(with_intervals.note, '^expenses\.csv was not in the delivery')
                then 'expenses_missing'
            when regexp_matches(with_intervals.note, '^expenses\.csv has no rows for some')
                then 'expense_months_missing'
            when regexp_matches(with_intervals.note, '^[a-z_]+\.csv was not delivered$')
                then 'input_file_missing'
            when regexp_matches(with_intervals.note, '^[a-z_]+\.csv of the delivery of .* has no accepted rows$')
                then 'core_file_empty'
            when regexp_matches(with_intervals.note, '^the cut-off calendar has no date before')
                then 'no_previous_cutoff'
            when regexp_matches(with_intervals.note, '^no FOLK1A population aged 0-17')
                then 'population_missing'
            else 'other'
        end as note_code
    from with_intervals
)

select
    published.municipality_code,
    municipalities.name as municipality_name,
    municipalities.region_name,
    municipalities.dst_region_code,
    published.cutoff_date,
    published.period,
    published.indicator_id,
    published.indicator_name_da,
    published.sort_order,
    published.ladder_step,
    case
        when published.suppressed or published.numerator_is_amount then null
        else cast(published.numerator as bigint)
    end as numerator,
    case
        when published.suppressed or published.denominator_is_amount then null
        else cast(published.denominator as bigint)
    end as denominator,
    case
        when published.suppressed or not published.numerator_is_amount then null
        else published.numerator
    end as numerator_amount,
    case
        when published.suppressed or not published.denominator_is_amount then null
        else published.denominator
    end as denominator_amount,
    case when published.suppressed then null else published.value end as value,
    case when published.suppressed then null else published.interval_low end as ci_low,
    case when published.suppressed then null else published.interval_high end as ci_high,
    published.unit,
    units.unit_da,
    published.status,
    case published.status
        when 'ok' then 'Tilgængelig'
        when 'not_available' then 'Ikke tilgængelig'
    end as status_da,
    published.suppressed,
    case
        when published.suppressed
            then 'suppressed: fewer than {{ t }} persons, or hidden so that such a count cannot '
                || 'be worked out from the other figures'
        when published.note_code = 'zero_denominator'
            then 'the denominator is 0: no value'
        else published.note
    end as note,
    published.note_code,
    -- The English notes of marts.indicator_values, in Danish; dates the Danish way.
    case published.note_code
        when 'suppressed'
            then 'Diskretioneret: tallet bygger på færre end {{ t }} børn, eller er skjult, så '
                || 'et sådant tal ikke kan regnes ud af de øvrige.'
        when 'zero_denominator' then 'Nævneren er 0, så der er ingen værdi.'
        when 'delivery_before_cutoff'
            then 'Den nyeste godkendte leverance ('
                || strftime(published.delivery_date, '%d-%m-%Y')
                || ') er ældre end skæringsdatoen.'
        when 'expenses_missing'
            then 'Filen expenses.csv var ikke med i leverancen fra '
                || strftime(published.delivery_date, '%d-%m-%Y') || '.'
        when 'expense_months_missing'
            then 'Filen expenses.csv har ingen rækker for en eller flere af månederne '
                || regexp_extract(published.note, 'months ([0-9-]+) to', 1) || ' til '
                || regexp_extract(published.note, ' to ([0-9-]+)$', 1) || '.'
        when 'input_file_missing'
            then 'Filen ' || regexp_extract(published.note, '^([a-z_]+\.csv)', 1)
                || ' var ikke med i leverancen.'
        when 'core_file_empty'
            then 'Filen ' || regexp_extract(published.note, '^([a-z_]+\.csv)', 1)
                || ' i leverancen fra ' || strftime(published.delivery_date, '%d-%m-%Y')
                || ' har ingen godkendte rækker.'
        when 'no_previous_cutoff'
            then 'Skæringsdatokalenderen har ingen dato før '
                || strftime(published.cutoff_date, '%d-%m-%Y') || '.'
        when 'population_missing'
            then 'Danmarks Statistik (FOLK1A) har intet befolkningstal for 0-17-årige i kvartalet '
                || regexp_extract(published.note, '([0-9]{4}K[1-4])$', 1) || '.'
        -- A reason without a Danish wording yet (a warning test lists it): shown as it is.
        when 'other' then 'Ikke tilgængelig: ' || published.note
    end as note_da,
    published.delivery_date,
    {{ t }} as suppression_threshold,
    {{ is_provisional('published.cutoff_date', 'published.delivery_date') }} as provisional
from published
left join municipalities on published.municipality_code = municipalities.municipality_code
left join units on published.unit = units.unit
