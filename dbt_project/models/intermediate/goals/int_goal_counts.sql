{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_run_scope() }}",
        tags=['scoped'],
    )
}}

-- The goal counts of the seven ephemeral int_goal_counts__* models, stored once per run
-- scope: indicator_values and the test that each count lands in its period both read them.
-- Ephemeral, they were worked out twice (nationally 23 s for the test alone).
{%- set families = [
    'early_help', 'school', 'youth', 'placements', 'casework', 'general_environment',
    'housing_centres',
] %}

{% for family in families -%}
select municipality_code, cutoff_date, indicator_id, period, numerator, denominator
from {{ ref('int_goal_counts__' ~ family) }}
{% if not loop.last %}union all
{% endif -%}
{% endfor %}
