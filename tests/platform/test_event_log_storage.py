"""The event log with its connections kept open stores and reads what Dagster's own does, in
the same files, and is what a new instance folder is configured with."""

import dagster as dg

from pipeline.platform.event_log_storage import KEPT_ENGINES, PooledSqliteEventLogStorage
from pipeline.platform.instance import ensure_dagster_home


@dg.asset
def counted() -> int:
    return 1


def test_a_new_instance_folder_uses_the_pooled_event_log(tmp_path):
    ensure_dagster_home(tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        assert instance.event_log_storage._base_dir == str(tmp_path / "history" / "runs")


def test_runs_are_stored_and_read_back_across_more_shards_than_engines_kept(tmp_path):
    ensure_dagster_home(tmp_path)
    runs = KEPT_ENGINES + 2  # older shards' engines are disposed and opened again
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        results = [dg.materialize([counted], instance=instance) for _ in range(runs)]
        assert all(result.success for result in results)
        storage = instance.event_log_storage
        assert len(storage._engines) <= KEPT_ENGINES
        for result in results:
            events = instance.all_logs(result.run_id)
            assert any(e.dagster_event_type == dg.DagsterEventType.RUN_SUCCESS for e in events)
    # A fresh instance with Dagster's own storage reads the same files.
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        materializations = instance.fetch_materializations(dg.AssetKey("counted"), limit=100)
        assert len(materializations.records) == runs


def test_wiping_closes_the_connections_before_the_files_go(tmp_path):
    ensure_dagster_home(tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert dg.materialize([counted], instance=instance).success
        instance.event_log_storage.wipe()
        # Only the index (emptied, not deleted) is open again; no run shard is.
        assert set(instance.event_log_storage._engines) <= {"index"}
        assert dg.materialize([counted], instance=instance).success
        records = instance.fetch_materializations(dg.AssetKey("counted"), limit=10).records
        assert len(records) == 1


def test_a_table_once_found_is_remembered_and_a_missing_one_is_not(tmp_path):
    ensure_dagster_home(tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        storage = instance.event_log_storage
        assert storage.has_table("asset_check_executions")
        assert not storage.has_table("no_such_table")
        assert storage._tables_seen >= {"asset_check_executions"}
        assert "no_such_table" not in storage._tables_seen


def test_pooled_connections_commit_without_waiting_for_the_disk(tmp_path):
    ensure_dagster_home(tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert dg.materialize([counted], instance=instance).success
        storage = instance.event_log_storage
        with storage.index_connection() as conn:
            # 1 = NORMAL (SQLite's default is 2 = FULL); the shard is in WAL mode.
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 1
            assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
