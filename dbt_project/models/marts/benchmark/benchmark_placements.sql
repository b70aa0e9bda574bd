-- Every municipality and year beside Danmarks Statistik's own figures: BU43's shares of
-- 0-17-year-olds placed and with support (also per 1000), rank among the municipalities, the
-- national figure, the peer group's average, and ANBAAR12's placement mix. Reads StatBank and
-- seeds only, so it is rebuilt whole (not partitioned). A table the run could not use (SPEC §6)
-- makes its columns not_available with the reason, on rows that are still there.
with municipalities as (
    select * from {{ ref('municipalities') }}
),

peers as (
    select * from {{ ref('peer_municipalities') }}
),

shares as (
    select * from {{ ref('int_statbank_support_shares') }}
),

mix as (
    select * from {{ ref('int_statbank_placement_mix') }}
),

calendar as (
    select * from {{ ref('cutoff_calendar') }}
),

bu43_table as (
    {{ statbank_table_usable('BU43') }}
),

anbaar12_table as (
    {{ statbank_table_usable('ANBAAR12') }}
),

municipal_shares as (
    select * from shares where area_code <> '000'
),

national_shares as (
    select * from shares where area_code = '000'
),

bu43_years as (
    select distinct year from municipal_shares
),

anbaar12_years as (
    select distinct year from mix where area_code <> '000'
),

-- Every year for which Danmarks Statistik published BU43 or ANBAAR12 for some municipality.
-- When the run could not use one of them, which years it has is unknown: every year of a 31
-- December cut-off date up to today gets its rows too, so the reason is there to read.
years as (
    select year from bu43_years
    union
    select year from anbaar12_years
    union
    select cast(year(calendar.cutoff_date) as integer) as year
    from calendar
    cross join bu43_table
    cross join anbaar12_table
    where
        month(calendar.cutoff_date) = 12 and day(calendar.cutoff_date) = 31
        and calendar.cutoff_date <= current_date
        and not (bu43_table.usable and anbaar12_table.usable)
),

grid as (
    select
        municipalities.municipality_code,
        municipalities.name as municipality_name,
        years.year
    from municipalities
    cross join years
),

-- Rank among the municipalities with a figure that year, highest share first. Equal shares
-- share a rank and the next rank is skipped (1, 2, 2, 4); NULL ('..') is not ranked.
ranked as (
    select
        area_code as municipality_code,
        year,
        placed_0_17_pct,
        supported_0_17_pct,
        case when placed_0_17_pct is not null then rank() over (
            partition by year, placed_0_17_pct is null order by placed_0_17_pct desc
        ) end as placed_0_17_rank,
        count(placed_0_17_pct) over (partition by year) as placed_0_17_ranked_of,
        case when supported_0_17_pct is not null then rank() over (
            partition by year, supported_0_17_pct is null order by supported_0_17_pct desc
        ) end as supported_0_17_rank,
        count(supported_0_17_pct) over (partition by year) as supported_0_17_ranked_of
    from municipal_shares
),

peer_counts as (
    select
        municipality_code,
        count(*) as peers_configured
    from peers
    group by municipality_code
),

-- Unweighted mean of the peers' published percentages; a peer without a figure is left out.
peer_averages as (
    select
        peers.municipality_code,
        municipal_shares.year,
        avg(municipal_shares.placed_0_17_pct) as placed_0_17_pct,
        count(municipal_shares.placed_0_17_pct) as with_placed_figure,
        avg(municipal_shares.supported_0_17_pct) as supported_0_17_pct,
        count(municipal_shares.supported_0_17_pct) as with_supported_figure
    from peers
    inner join municipal_shares
        on peers.peer_municipality_code = municipal_shares.area_code
    group by peers.municipality_code, municipal_shares.year
),

mix_wide as (
    select
        area_code,
        year,
        any_value(placed_total) as placed_total,
        max(share_pct) filter (where placement_type = 'FOSTER_FAMILY') as foster_family,
        max(share_pct) filter (where placement_type = 'MUNICIPAL_FOSTER_FAMILY')
            as municipal_foster_family,
        max(share_pct) filter (where placement_type = 'NETWORK_FOSTER_FAMILY')
            as network_foster_family,
        max(share_pct) filter (where placement_type = 'RESIDENTIAL_INSTITUTION')
            as residential_institution,
        max(share_pct) filter (where placement_type = 'SECURE_INSTITUTION') as secure_institution,
        max(share_pct) filter (where placement_type = 'SOCIAL_PEDAGOGICAL_HOME')
            as social_pedagogical_home,
        max(share_pct) filter (where placement_type = 'OWN_ROOM') as own_room,
        max(share_pct) filter (where placement_type = 'BOARDING_SCHOOL') as boarding_school,
        max(share_pct) filter (where placement_type = 'OTHER') as other,
        -- Institution-placed (institutionsanbragt): unknown when one of its types is '..'.
        case
            when count(*) filter (where is_institution and placed is null) = 0
                and any_value(placed_total) > 0
                then round(
                    100.0 * sum(placed) filter (where is_institution) / any_value(placed_total), 4
                )
        end as institution
    from mix
    group by area_code, year
),

statused as (
    select
        grid.*,
        case
            when not bu43_table.usable then 'not_available'
            when bu43_years.year is null then 'dst_year_not_published'
            when ranked.municipality_code is null then 'no_dst_row'
            else 'ok'
        end as bu43_status,
        bu43_table.reason_code as bu43_reason_code,
        case
            when not anbaar12_table.usable then 'not_available'
            when anbaar12_years.year is null then 'dst_year_not_published'
            when mix_wide.area_code is null then 'no_dst_row'
            else 'ok'
        end as anbaar12_status,
        anbaar12_table.reason_code as anbaar12_reason_code
    from grid
    cross join bu43_table
    cross join anbaar12_table
    left join bu43_years on grid.year = bu43_years.year
    left join anbaar12_years on grid.year = anbaar12_years.year
    left join ranked
        on
            grid.municipality_code = ranked.municipality_code
            and grid.year = ranked.year
    left join mix_wide
        on
            grid.municipality_code = mix_wide.area_code
            and grid.year = mix_wide.year
)

select
    grid.municipality_code,
    grid.municipality_name,
    grid.year,

    -- BU43 (Danmarks Statistik's percentages, and the same per 1000)
    grid.bu43_status,
    case grid.bu43_status
        when 'not_available' then {{ statbank_unusable_note('BU43', 'grid.bu43_reason_code') }}
        when 'dst_year_not_published' then 'BU43 has no figures for ' || grid.year || ' yet'
        when 'no_dst_row' then 'BU43 has no row for the municipality in ' || grid.year
    end as bu43_note,
    case grid.bu43_status
        when 'not_available' then {{ statbank_unusable_note_da('BU43', 'grid.bu43_reason_code') }}
        when 'dst_year_not_published'
            then 'Danmarks Statistik (BU43) har endnu ikke offentliggjort tal for ' || grid.year
                || '.'
        when 'no_dst_row'
            then 'Danmarks Statistik (BU43) har ingen række for kommunen i ' || grid.year || '.'
    end as bu43_note_da,
    ranked.placed_0_17_pct,
    round(ranked.placed_0_17_pct * 10, 4) as placed_0_17_per_1000,
    cast(ranked.placed_0_17_rank as integer) as placed_0_17_rank,
    cast(ranked.placed_0_17_ranked_of as integer) as placed_0_17_ranked_of,
    round(national_shares.placed_0_17_pct * 10, 4) as national_placed_0_17_per_1000,
    round(peer_averages.placed_0_17_pct * 10, 4) as peer_placed_0_17_per_1000,
    ranked.supported_0_17_pct,
    round(ranked.supported_0_17_pct * 10, 4) as supported_0_17_per_1000,
    cast(ranked.supported_0_17_rank as integer) as supported_0_17_rank,
    cast(ranked.supported_0_17_ranked_of as integer) as supported_0_17_ranked_of,
    round(national_shares.supported_0_17_pct * 10, 4) as national_supported_0_17_per_1000,
    round(peer_averages.supported_0_17_pct * 10, 4) as peer_supported_0_17_per_1000,
    cast(coalesce(peer_counts.peers_configured, 0) as integer) as peers_configured,
    cast(coalesce(peer_averages.with_placed_figure, 0) as integer) as peers_with_placed_figure,
    cast(coalesce(peer_averages.with_supported_figure, 0) as integer)
        as peers_with_supported_figure,

    -- ANBAAR12 (placement mix, every age the table counts)
    grid.anbaar12_status,
    case grid.anbaar12_status
        when 'not_available'
            then {{ statbank_unusable_note('ANBAAR12', 'grid.anbaar12_reason_code') }}
        when 'dst_year_not_published' then 'ANBAAR12 has no figures for ' || grid.year || ' yet'
        when 'no_dst_row' then 'ANBAAR12 has no row for the municipality in ' || grid.year
    end as anbaar12_note,
    case grid.anbaar12_status
        when 'not_available'
            then {{ statbank_unusable_note_da('ANBAAR12', 'grid.anbaar12_reason_code') }}
        when 'dst_year_not_published'
            then 'Danmarks Statistik (ANBAAR12) har endnu ikke offentliggjort tal for '
                || grid.year || '.'
        when 'no_dst_row'
            then 'Danmarks Statistik (ANBAAR12) har ingen række for kommunen i ' || grid.year
                || '.'
    end as anbaar12_note_da,
    mix_wide.placed_total as placed_all_ages,
    mix_wide.foster_family as foster_family_share_pct,
    mix_wide.municipal_foster_family as municipal_foster_family_share_pct,
    mix_wide.network_foster_family as network_foster_family_share_pct,
    mix_wide.residential_institution as residential_institution_share_pct,
    mix_wide.secure_institution as secure_institution_share_pct,
    mix_wide.social_pedagogical_home as social_pedagogical_home_share_pct,
    mix_wide.own_room as own_room_share_pct,
    mix_wide.boarding_school as boarding_school_share_pct,
    mix_wide.other as other_share_pct,
    mix_wide.institution as institution_share_pct,
    national_mix.institution as national_institution_share_pct
from statused as grid
left join ranked
    on
        grid.municipality_code = ranked.municipality_code
        and grid.year = ranked.year
left join national_shares
    on grid.year = national_shares.year
left join peer_counts
    on grid.municipality_code = peer_counts.municipality_code
left join peer_averages
    on
        grid.municipality_code = peer_averages.municipality_code
        and grid.year = peer_averages.year
left join mix_wide
    on
        grid.municipality_code = mix_wide.area_code
        and grid.year = mix_wide.year
left join mix_wide as national_mix
    on
        national_mix.area_code = '000'
        and grid.year = national_mix.year
