"""The dbt environment of the assets, built by pure functions."""

import os

from pipeline.assets.dbt import dbt_environment, dbt_scope_environment
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


def test_the_environment_holds_the_threshold_and_scope_only_during_the_call(tmp_path):
    settings = Settings.from_env(
        {
            "NOEGLETAL_ENV": "demo",
            "NOEGLETAL_DATA_DIR": str(tmp_path),
            "NOEGLETAL_SUPPRESSION_THRESHOLD": "0",
        }
    )
    before = os.environ.get("NOEGLETAL_DBT_MUNICIPALITIES")
    with dbt_environment(settings, {"municipalities": ["330"], "cutoff_dates": []}):
        assert os.environ["NOEGLETAL_SUPPRESSION_THRESHOLD"] == "0"
        assert os.environ["NOEGLETAL_DBT_MUNICIPALITIES"] == "330"
        assert os.environ["NOEGLETAL_WAREHOUSE_PATH"] == str(settings.warehouse_path)
    assert os.environ.get("NOEGLETAL_DBT_MUNICIPALITIES") == before
