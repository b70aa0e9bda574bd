"""Publication for BI (SPEC §10): write, audit, then publish atomically.

- `release`: the whole step, as the Dagster asset runs it: stage every artefact in a new release
  folder, audit it, then publish it by switching the one link `serving` to it.
- `serving`: the serving DuckDB file and the Parquet copies of the dbt publication layer.
- `record`: the `publication` table (run, time, versions, deliveries, StatBank snapshots).
- `audit`: the checks a staged release must pass (nothing person-level, copies complete).
- `excel`, `report`, `docs`: the reporting template, the HTML report, dbt's documentation;
  `files` writes the workbooks and pages on every core, `carry_over` takes the unchanged
  ones from the previous publication (hard links).
- `intervals`, `dbt_functions`: the 95 % intervals, and the DuckDB functions dbt computes them
  with. Small-cell suppression itself is SQL, in dbt: models/publication.
"""
