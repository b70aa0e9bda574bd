"""The dbt command line of the assets, built by pure functions."""

import json

from pipeline.assets.dbt import dbt_build_args


def test_unpartitioned_build_has_no_vars():
    assert dbt_build_args() == ["build"]


def test_a_partitioned_build_passes_its_scope_as_vars():
    args = dbt_build_args({"municipalities": ["101"], "cutoff_dates": ["2024-04-30"]})
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"cutoff_dates": ["2024-04-30"], "municipalities": ["101"]}
