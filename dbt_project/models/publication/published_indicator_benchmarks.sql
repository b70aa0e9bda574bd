{{ config(alias='indicator_benchmarks') }}

-- Benchmark series the report draws beside a municipality's own figures (SPEC §10, issue 5):
-- - "Sammenligningskommuner (gns.)": the mean of the published values of the municipality's
--   comparison municipalities (peer_municipalities seed) that are in this deployment; built
--   from published, suppressed values only, so it can reveal nothing the peers' rows do not;
-- - "Hele landet (Danmarks Statistik)": for indicator 1 on 31 December, DST's share of
--   0-17-year-olds placed (BU43) x 10 x DST's share of placements at institution-type places
--   (ANBAAR12), all Denmark. An estimate: ANBAAR12's mix includes 18-22-year-olds and counts
--   by administering municipality; it applies to every municipality (municipality_code NULL).
--   When the run could not use BU43 or ANBAAR12 (SPEC §6), its rows are there with no value,
--   status not_available and the reason, for every year benchmark_placements has.
with published as (
    select * from {{ ref('published_indicator_values') }}
),

peers as (
    select * from {{ ref('peer_municipalities') }}
),

benchmark as (
    select * from {{ ref('benchmark_placements') }}
),

peer_means as (
    select
        peers.municipality_code,
        published.indicator_id,
        published.cutoff_date,
        'Sammenligningskommuner (gns.)' as benchmark,
        avg(published.value) as value,
        'ok' as status,
        cast(null as varchar) as note,
        cast(null as varchar) as note_da
    from peers
    inner join published
        on peers.peer_municipality_code = published.municipality_code
    where published.status = 'ok' and not published.suppressed and published.value is not null
    group by peers.municipality_code, published.indicator_id, published.cutoff_date
),

benchmark_usable as (
    select
        *,
        bu43_status = 'not_available' or anbaar12_status = 'not_available' as input_missing
    from benchmark
),

national_institution_placed as (
    select distinct
        cast(null as varchar) as municipality_code,
        '1' as indicator_id,
        make_date(year, 12, 31) as cutoff_date,
        'Hele landet (Danmarks Statistik, skøn)' as benchmark,
        case
            when not input_missing
                then national_placed_0_17_per_1000 * national_institution_share_pct / 100
        end as value,
        case when input_missing then 'not_available' else 'ok' end as status,
        -- The table-level notes of the table(s) that could not be used; NULL when ok.
        nullif(concat_ws('; ',
            case when bu43_status = 'not_available' then bu43_note end,
            case when anbaar12_status = 'not_available' then anbaar12_note end
        ), '') as note,
        nullif(concat_ws(' ',
            case when bu43_status = 'not_available' then bu43_note_da end,
            case when anbaar12_status = 'not_available' then anbaar12_note_da end
        ), '') as note_da
    from benchmark_usable
    where
        input_missing
        or (
            national_placed_0_17_per_1000 is not null
            and national_institution_share_pct is not null
        )
)

select * from peer_means
union all
select * from national_institution_placed
