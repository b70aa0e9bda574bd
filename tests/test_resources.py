"""The resources: the warehouse connection applies the configured DuckDB memory limit; the dbt
resource skips what this project does not use."""

import importlib.metadata
import sys
from pathlib import Path

import duckdb
import pytest
from dagster_dbt import DbtCliResource

from pipeline.dbt.child import ENV_FILE, WRAPPER
from pipeline.dbt.resource import DbtCli
from pipeline.paths import DBT_PROJECT_DIR
from pipeline.resources import WarehouseResource


def test_the_warehouse_connection_has_the_configured_memory_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("NOEGLETAL_ENV", "demo")
    monkeypatch.setenv("NOEGLETAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NOEGLETAL_DUCKDB_MEMORY_LIMIT", "1GB")
    with duckdb.connect(config={"memory_limit": "1GB"}) as plain:
        (expected,) = plain.execute("select current_setting('memory_limit')").fetchone()
    with WarehouseResource().get_connection() as conn:
        (limit,) = conn.execute("select current_setting('memory_limit')").fetchone()
    with duckdb.connect() as default:
        (unlimited,) = default.execute("select current_setting('memory_limit')").fetchone()
    assert limit == expected
    assert limit != unlimited  # DuckDB's own default is 80 % of the machine's memory


def test_the_dbt_resource_overrides_methods_dagster_dbt_still_has():
    # DbtCli replaces two private methods of dagster-dbt; a dagster-dbt that renamed them would
    # silently bring back their cost, so this fails first.
    for name in ("_initialize_dbt_core_adapter", "_cli_version"):
        assert name in vars(DbtCliResource), name
        assert name in vars(DbtCli), name


def test_the_dbt_resource_reports_the_installed_dbt_core_without_an_adapter():
    from pipeline.definitions import defs

    resource = defs.resources["dbt"]
    assert isinstance(resource, DbtCli)
    assert str(resource._cli_version) == importlib.metadata.version("dbt-core")
    assert resource._initialize_dbt_core_adapter(["build"]) is None


def test_the_dbt_resource_gives_a_call_its_variables_through_the_wrapper_only(tmp_path):
    # Without the wrapper nothing would add them to dbt's environment: refused, not dropped.
    bare = DbtCli(project_dir=str(DBT_PROJECT_DIR), dbt_executable=sys.executable)
    with pytest.raises(RuntimeError, match=WRAPPER):
        bare.cli(["parse"], env={"NOEGLETAL_DBT_MUNICIPALITIES": "330"}, target_path=tmp_path)
    wrapped = DbtCli(
        project_dir=str(DBT_PROJECT_DIR), dbt_executable=str(Path(sys.executable).parent / WRAPPER)
    )
    with pytest.raises(ValueError, match="target_path"):
        wrapped.cli(["parse"], env={"NOEGLETAL_DBT_MUNICIPALITIES": "330"})
    assert not (tmp_path / ENV_FILE).exists()
