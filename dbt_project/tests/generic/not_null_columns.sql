{#- Fails with one row per column of `columns` that holds a NULL, and how many rows do: the
    required columns of a model in one scan and one dbt node, where a `not_null` test per
    column costs a node each, and each node costs dbt the same whatever the data
    (benchmarks/README.md, item 31). The failing rows name columns and counts, never a value. -#}
{% test not_null_columns(model, columns) %}

select
    column_name,
    null_rows
from (
    select
        {%- for column in columns %}
        count(*) filter (where {{ column }} is null) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
) unpivot (null_rows for column_name in ({{ columns | join(', ') }}))
where null_rows > 0

{% endtest %}
