{#- The "no uncovered day" rule of SPEC §11, once: rows of `relation` (start_date, end_date,
    measure_id; a NULL end is open) joined into islands per `partition_by` while the next starts
    on or before the day after the latest end so far (overlaps and a next-day start join; one
    uncovered day starts a new island). A select with one row per partition and island:
    the `partition_by` columns, <prefix>_number (1, 2, ... in order of start),
    <prefix>_start_date, <prefix>_end_date (NULL when any row of the island is open) and
    `count_as` (the rows joined). Documented in _macros.yml. -#}
{% macro join_uncovered_days(relation, partition_by, prefix, count_as='placements') -%}
    {%- set partition = partition_by | join(', ') -%}
    with ordered as (
        select
            {{ partition }},
            measure_id,
            start_date,
            end_date,
            -- The latest day covered by the earlier rows of the partition (NULL end = open).
            max(coalesce(end_date, date '9999-12-31')) over (
                partition by {{ partition }}
                order by start_date, measure_id
                rows between unbounded preceding and 1 preceding
            ) as covered_until
        from {{ relation }}
    ),

    flagged as (
        select
            *,
            case
                when covered_until is null then 1
                when start_date > covered_until + interval 1 day then 1
                else 0
            end as starts_island
        from ordered
    ),

    numbered as (
        select
            *,
            sum(starts_island) over (
                partition by {{ partition }}
                order by start_date, measure_id
                rows between unbounded preceding and current row
            ) as island_number
        from flagged
    )

    select
        {{ partition }},
        island_number as {{ prefix }}_number,
        min(start_date) as {{ prefix }}_start_date,
        -- NULL when any row of the island is open.
        case
            when bool_or(end_date is null) then null
            else max(end_date)
        end as {{ prefix }}_end_date,
        count(*) as {{ count_as }}
    from numbered
    group by {{ partition }}, island_number
{%- endmacro %}
