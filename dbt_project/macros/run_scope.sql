{#- The scope of a run: the municipalities (its partitions) and cut-off dates (its
    noegletal/cutoff_dates tag), which Dagster passes as the environment variables
    NOEGLETAL_DBT_MUNICIPALITIES and NOEGLETAL_DBT_CUTOFF_DATES (comma-separated; empty or
    unset means "all"). Values are checked before they reach SQL.

    Environment variables, not vars: a change of --vars makes dbt parse the whole project
    again (about 3.5 s per invocation). And read only when the SQL is compiled for execution
    (`execute`), never while parsing: dbt parses again every file that read an environment
    variable at parse time whenever its value changes (1.3 s), and the scope changes from run
    to run. Parsing needs no scope; it records the refs and configs, which do not depend on it. -#}

{% macro scope_list(name) -%}
    {%- set raw = env_var(name, '') if execute else '' -%}
    {{ return(raw.split(',') | map('trim') | reject('equalto', '') | list) }}
{%- endmacro %}

{% macro scope_municipalities() -%}
    {%- set codes = scope_list('NOEGLETAL_DBT_MUNICIPALITIES') -%}
    {%- for code in codes -%}
        {%- if not modules.re.fullmatch('[0-9]{3}', code | string) -%}
            {{ exceptions.raise_compiler_error("not a municipality code: " ~ code) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(codes) }}
{%- endmacro %}

{% macro scope_cutoff_dates() -%}
    {%- set dates = scope_list('NOEGLETAL_DBT_CUTOFF_DATES') -%}
    {%- for day in dates -%}
        {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', day | string) -%}
            {{ exceptions.raise_compiler_error("not a cut-off date: " ~ day) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(dates) }}
{%- endmacro %}

{#- A boolean SQL expression: the row lies in the run's scope. -#}
{% macro in_run_scope(municipality_column='municipality_code', cutoff_column='cutoff_date') -%}
    {%- set codes = scope_municipalities() -%}
    {%- set dates = scope_cutoff_dates() -%}
    (
        {% if codes -%}
            {{ municipality_column }} in ({% for c in codes %}'{{ c }}'{% if not loop.last %}, {% endif %}{% endfor %})
        {%- else -%}
            true
        {%- endif %}
        and {% if dates -%}
            {{ cutoff_column }} in ({% for d in dates %}date '{{ d }}'{% if not loop.last %}, {% endif %}{% endfor %})
        {%- else -%}
            true
        {%- endif %}
    )
{%- endmacro %}

{#- Pre-hook of the partitioned (incremental) models: remove the rows of the run's scope, so
    the run writes them afresh and a rerun gives identical rows. -#}
{% macro delete_run_scope() -%}
    {% if is_incremental() %}
        delete from {{ this }} where {{ in_run_scope() }}
    {% endif %}
{%- endmacro %}

{#- Pre-hook of a scoped model whose rows depend on the suppression threshold: the run's scope,
    and every municipality with a row made under another threshold, so no two thresholds are
    ever published side by side (the model makes again whatever its table lacks). -#}
{% macro delete_run_scope_or_threshold_change() -%}
    {% if is_incremental() %}
        delete from {{ this }}
        where {{ in_run_scope() }} or municipality_code in (
            select municipality_code from {{ this }}
            where suppression_threshold <> {{ suppression_threshold() }}
        )
    {% endif %}
{%- endmacro %}
