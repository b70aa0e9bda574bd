-- Everyone with a measure, an investigation or a children.csv row, per municipality. A person
-- with measures but no children.csv row is kept: birth date from the CPR number, not a
-- refugee (SPEC §11).
with children as (
    select * from {{ ref('stg_landing__children') }}
),

measures as (
    select * from {{ ref('stg_landing__measures') }}
),

investigations as (
    select * from {{ ref('stg_landing__investigations') }}
),

everyone as (
    select municipality_code, person_id, birth_date from children
    union
    select municipality_code, person_id, birth_date from measures
    union
    select municipality_code, person_id, birth_date from investigations
),

persons as (
    select
        everyone.municipality_code,
        everyone.person_id,
        everyone.birth_date,
        children.person_id is not null as has_children_row,
        coalesce(children.unaccompanied_refugee, false) as is_unaccompanied_refugee
    from everyone
    left join children
        on everyone.municipality_code = children.municipality_code
        and everyone.person_id = children.person_id
)

select * from persons
