{{ config(materialized='ephemeral') }}

-- Indicator 11: net operating expenses of the 3 calendar months ending with D's month,
-- preventive accounts / placement accounts (finance_accounts seed). A sub-account counts
-- towards its account (5.28.21.01 -> 5.28.21); income rows (negative) are included (SPEC §11).
-- Also reports what the mart needs to call the figure not available: whether the delivery held
-- expenses.csv and how many of the 3 months have any row.
with scope as (
    select * from {{ ref('int_run_scope') }}
),

expenses as (
    select * from {{ ref('stg_landing__expenses') }}
),

accounts as (
    select * from {{ ref('finance_accounts') }}
),

delivery_files as (
    select * from {{ ref('stg_landing__delivery_files') }}
    where file = 'expenses'
),

mapped as (
    select
        expenses.municipality_code,
        expenses.month,
        expenses.amount_dkk,
        accounts.account_group
    from expenses
    left join accounts
        on
            expenses.account = accounts.account
            or starts_with(expenses.account, accounts.account || '.')
),

summed as (
    select
        scope.municipality_code,
        scope.cutoff_date,
        count(distinct mapped.month) as months_with_rows,
        coalesce(sum(mapped.amount_dkk) filter (where mapped.account_group = 'PREVENTIVE'), 0)
            as preventive_dkk,
        coalesce(sum(mapped.amount_dkk) filter (where mapped.account_group = 'PLACEMENT'), 0)
            as placement_dkk
    from scope
    left join mapped
        on
            scope.municipality_code = mapped.municipality_code
            and mapped.month >= scope.expense_months_start
            and mapped.month <= scope.cutoff_date
    group by scope.municipality_code, scope.cutoff_date
)

select
    summed.municipality_code,
    summed.cutoff_date,
    '11' as indicator_id,
    summed.preventive_dkk as numerator,
    summed.placement_dkk as denominator,
    coalesce(delivery_files.present, false) as expenses_delivered,
    summed.months_with_rows
from summed
inner join scope
    on
        summed.municipality_code = scope.municipality_code
        and summed.cutoff_date = scope.cutoff_date
left join delivery_files
    on
        scope.municipality_code = delivery_files.municipality_code
        and scope.delivery_date = delivery_files.delivery_date
