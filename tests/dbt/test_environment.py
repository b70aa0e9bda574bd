"""The environment variables every dbt call of a run gets: pure functions."""

from pipeline.dbt.environment import dbt_variables
from pipeline.scope import dbt_scope_environment
from pipeline.settings import Settings


def test_an_unscoped_build_covers_everything():
    assert dbt_scope_environment() == {
        "NOEGLETAL_DBT_MUNICIPALITIES": "",
        "NOEGLETAL_DBT_CUTOFF_DATES": "",
    }


def test_a_partitioned_build_passes_its_scope_in_the_environment():
    scope = {"municipalities": ["101", "147"], "cutoff_dates": ["2023-12-31", "2024-04-30"]}
    assert dbt_scope_environment(scope) == {
        "NOEGLETAL_DBT_MUNICIPALITIES": "101,147",
        "NOEGLETAL_DBT_CUTOFF_DATES": "2023-12-31,2024-04-30",
    }


def test_the_variables_name_the_warehouse_threshold_memory_limit_and_scope(tmp_path):
    settings = Settings.from_env(
        {
            "NOEGLETAL_ENV": "demo",
            "NOEGLETAL_DATA_DIR": str(tmp_path),
            "NOEGLETAL_SUPPRESSION_THRESHOLD": "3",
            "NOEGLETAL_DUCKDB_MEMORY_LIMIT": "1GB",
            "NOEGLETAL_PROVISIONAL_DAYS": "30",
        }
    )
    assert dbt_variables(settings, {"municipalities": ["330"]}) == {
        "NOEGLETAL_WAREHOUSE_PATH": str(tmp_path / "warehouse" / "noegletal.duckdb"),
        "NOEGLETAL_SUPPRESSION_THRESHOLD": "3",
        "NOEGLETAL_PROVISIONAL_DAYS": "30",
        "NOEGLETAL_DUCKDB_MEMORY_LIMIT": "1GB",
        "NOEGLETAL_DBT_MUNICIPALITIES": "330",
        "NOEGLETAL_DBT_CUTOFF_DATES": "",
    }
