"""The dbt environment of the assets: set for the call only."""

import os

from pipeline.assets.dbt import dbt_environment
from pipeline.settings import Settings


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
