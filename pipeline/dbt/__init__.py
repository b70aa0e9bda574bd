"""Everything about calling dbt: where it writes (project.py), the environment of a call
(environment.py), the dbt resource (resource.py), the wrapper that dies with its run
(child.py), the docs page (docs.py) and the interval functions dbt's DuckDB plugin loads
(functions.py). The Dagster assets that run it are in pipeline/assets/dbt.py."""
