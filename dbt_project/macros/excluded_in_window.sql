{#- The exclusions of SPEC §3 for the goal indicators (SPEC §9), as a boolean SQL expression:
    the person is an unaccompanied refugee minor (at every date), or has a measure granted
    because of a disability that is active at any time in the window (after, up_to]. A single
    day d is the window (d - 1 day, d]. `persons` and `disability_measures` name the import
    CTEs of int_persons and of the disability measures of int_measures_classified. -#}
{% macro excluded_in_window(persons, disability_measures, municipality_code, person_id, after, up_to) -%}
    (
        exists (
            select 1
            from {{ persons }} as excluded_person
            where
                excluded_person.municipality_code = {{ municipality_code }}
                and excluded_person.person_id = {{ person_id }}
                and excluded_person.is_unaccompanied_refugee
        )
        or exists (
            select 1
            from {{ disability_measures }} as disability_measure
            where
                disability_measure.municipality_code = {{ municipality_code }}
                and disability_measure.person_id = {{ person_id }}
                and {{ active_in_window(after, up_to, 'disability_measure.start_date', 'disability_measure.end_date') }}
        )
    )
{%- endmacro %}
