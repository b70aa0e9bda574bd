{#- Fails for every combination of `columns` that occurs more than once (a composite key test;
    dbt_utils would need `dbt deps`, which needs the internet). -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
