{#- The small-cell threshold of the run (NOEGLETAL_SUPPRESSION_THRESHOLD, default 5): a
    whole number >= 0; 0 switches suppression off. -#}
{% macro suppression_threshold() -%}
    {{ return(env_whole_number('NOEGLETAL_SUPPRESSION_THRESHOLD', '5')) }}
{%- endmacro %}

{#- A count that must not be published: 1 .. threshold - 1 (0 is published; NULL is not a
    count). With threshold 0 nothing is small. -#}
{% macro is_small_count(expression, threshold) -%}
    coalesce({{ expression }} >= 1 and {{ expression }} < {{ threshold }}, false)
{%- endmacro %}

{#- Generic small-cell suppression for a flat table about to be published (goal attainment,
    reconciliation, ...): a row is suppressed when any of `counts` is small, or when the
    persons outside a share are (`complements`: pairs of [part, whole] columns); its `counts`
    and `derived` columns become NULL and `suppressed` says so. One line makes a publication
    model: select * from ({{ suppress_small_counts(ref('goal_attainment'),
    counts=['numerator', 'denominator'], derived=['actual_value']) }}).
    It knows nothing of totals and parts: a table whose rows add up needs the secondary rules
    of published_indicator_values. -#}
{% macro suppress_small_counts(relation, counts, derived=[], complements=[]) -%}
    {%- set t = suppression_threshold() -%}
    {%- set hidden = counts + derived -%}
    {%- set conditions = [] -%}
    {%- for column in counts -%}
        {%- do conditions.append(is_small_count(adapter.quote(column), t)) -%}
    {%- endfor -%}
    {%- for part, whole in complements -%}
        {%- do conditions.append(is_small_count(adapter.quote(whole) ~ ' - ' ~ adapter.quote(part), t)) -%}
    {%- endfor %}
    select
        * replace (
            {%- for column in hidden %}
            case when suppressed then null else {{ adapter.quote(column) }} end
                as {{ adapter.quote(column) }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        )
    from (
        select
            *,
            ({{ conditions | join(' or ') if conditions else 'false' }}) as suppressed
        from {{ relation }}
    )
{%- endmacro %}

{#- Post-hook of the wide table: each column gets its Danish description from
    published_indicator_values_wide_columns (for an indicator: id, full Danish name and unit),
    so a BI tool that shows comments tells what a column holds. -#}
{% macro comment_wide_columns(relation) -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select column_name, description_da from "
            ~ ref('published_indicator_values_wide_columns') ~ " order by column_position"
        ) -%}
        {%- for row in found.rows -%}
            comment on column {{ relation }}."{{ row[0] }}" is '{{ row[1] | replace("'", "''") }}';
        {% endfor -%}
    {%- endif -%}
{%- endmacro %}
