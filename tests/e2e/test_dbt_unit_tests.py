"""The dbt unit tests (the `unit_tests:` of the models' YAML), run here because the pipeline's
builds leave them out (pipeline/assets/dbt.py, DBT_BUILD).

dbt needs every relation a unit-tested model reads to exist, to learn its column types; one
pipeline run over a one-child delivery creates them. The unit tests bring their own rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.dbt.project import ensure_manifest
from pipeline.settings import Settings
from tests.harness import EMPTY_CORE_FILES, ONE_CHILD, ONE_PLACEMENT, run_dbt


@pytest.fixture(scope="module")
def warehouse(module_harness):
    harness = module_harness
    harness.delivery(
        "101", "2026-01-08", {"children": ONE_CHILD, "measures": ONE_PLACEMENT, **EMPTY_CORE_FILES}
    )
    harness.population({("101", "2024K1"): 180})
    summary = harness.run(cutoffs=["2023-12-31"])
    assert summary.ok, summary
    return Settings.from_env().warehouse_path


def test_every_dbt_unit_test_passes(warehouse: Path, tmp_path: Path) -> None:
    # `warehouse` built the relations the unit tests need; run_dbt points dbt at it.
    manifest = json.loads(ensure_manifest().read_text())
    expected = len(manifest["unit_tests"])
    target = tmp_path / "target"
    run_dbt(
        ["test", "--select", "test_type:unit"],
        {"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(tmp_path)},
    )
    results = json.loads((target / "run_results.json").read_text())["results"]
    # Every unit test of the project ran (none was skipped or left out by a selector) and passed.
    assert expected >= 20
    assert len(results) == expected
    assert {r["status"] for r in results} == {"pass"}
