"""The instance folder's dagster.yaml: written once, and kept working when the event log class
moves (it moved from pipeline/ into pipeline/platform/)."""

from pipeline.platform.instance import ensure_dagster_home


def test_a_new_folder_gets_the_pooled_event_log(tmp_path):
    ensure_dagster_home(tmp_path)
    text = (tmp_path / "dagster.yaml").read_text(encoding="utf-8")
    assert "module: pipeline.platform.event_log_storage\n" in text
    assert "class: PooledSqliteEventLogStorage" in text


def test_a_folder_written_before_the_move_names_the_new_module_and_keeps_the_rest(tmp_path):
    old = "telemetry:\n  enabled: true\nevent_log_storage:\n  module: pipeline.event_log_storage\n"
    (tmp_path / "dagster.yaml").write_text(old, encoding="utf-8")
    ensure_dagster_home(tmp_path)
    assert (tmp_path / "dagster.yaml").read_text(encoding="utf-8") == old.replace(
        "module: pipeline.event_log_storage", "module: pipeline.platform.event_log_storage"
    )
