{#- Why a figure that needs StatBank table `table` (e.g. 'ANBAAR9') is not_available, when the
    run could not use the table (SPEC §6, degrade, never halt; stg_statbank__table_status).
    `reason_code` is the SQL expression of its reason code (snapshot_missing,
    snapshot_unreadable, contract_broken; pipeline/sources/statbank/status.py). The full reason,
    which may name a file path, stays in the run summary and the publication record. -#}
{% macro statbank_unusable_note(table, reason_code) -%}
    '{{ table }} (Danmarks Statistik) could not be used in this run: ' || case {{ reason_code }}
        when 'snapshot_missing' then 'there is no snapshot of it'
        when 'snapshot_unreadable' then 'its snapshot cannot be read'
        when 'contract_broken' then 'its snapshot breaks its contract'
        else 'there is no usable snapshot of it'
    end
{%- endmacro %}

{#- The same in Danish, as a reader of the published tables sees it. -#}
{% macro statbank_unusable_note_da(table, reason_code) -%}
    'Tabellen {{ table }} fra Danmarks Statistik kunne ikke bruges i denne kørsel: ' || case {{ reason_code }}
        when 'snapshot_missing' then 'der er ingen fil med tabellen.'
        when 'snapshot_unreadable' then 'filen med tabellen kan ikke læses.'
        when 'contract_broken' then 'filen med tabellen overholder ikke kontrakten for tabellen.'
        else 'der er ingen brugbar fil med tabellen.'
    end
{%- endmacro %}

{#- The reason code back from a note statbank_unusable_note wrote (NULL for any other note), for
    a publication model that words an incremental mart's English note in Danish. -#}
{% macro statbank_reason_code_of_note(note) -%}
    case
        when {{ note }} like '% could not be used in this run: there is no snapshot of it'
            then 'snapshot_missing'
        when {{ note }} like '% could not be used in this run: its snapshot cannot be read'
            then 'snapshot_unreadable'
        when {{ note }} like '% could not be used in this run: its snapshot breaks its contract'
            then 'contract_broken'
    end
{%- endmacro %}

{#- The row of stg_statbank__table_status of `table`, as one row (usable, reason_code), for a
    cross join: usable is true when the table has no status row (its rows decide). -#}
{% macro statbank_table_usable(table) -%}
    select
        coalesce(bool_and(is_usable), true) as usable,
        any_value(reason_code) as reason_code
    from {{ ref('stg_statbank__table_status') }}
    where table_code = '{{ table }}'
{%- endmacro %}
