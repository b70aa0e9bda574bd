"""The StatBank assets: one step per table writes two tables, each its own asset, with the row
count, the newest period (TID) and where the snapshot came from as metadata."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipeline.assets.statbank import (
    TABLE_STATUS_KEY,
    statbank_assets,
    statbank_key,
    statbank_table_status,
)
from pipeline.resources import SettingsResource, WarehouseResource
from pipeline.settings import Settings
from pipeline.sources.statbank.snapshots import write_synthetic_snapshot

BU43 = """OMRÅDE;FORANSTALT;ALDER;TID;INDHOLD
000;ANBR;9917;2022;1,0
000;ANBR;9917;2023;1,1
084;ANBR;9917;2023;1,1
101;ANBR;9917;2022;1,2
101;ANBR;9917;2023;..
330;IALT;9917;2023;3,3
"""


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("NOEGLETAL_ENV", "demo")
    monkeypatch.setenv("NOEGLETAL_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("NOEGLETAL_DATA_DIR", str(tmp_path / "data"))
    return Settings.from_env()


def test_bu43_writes_municipal_and_national_assets_with_metadata(settings: Settings):
    write_synthetic_snapshot("BU43", settings.statbank_dir, BU43.encode("utf-8"))
    [bu43] = [a for a in statbank_assets if statbank_key("BU43") in a.keys]
    assert set(bu43.keys) == {statbank_key("BU43"), statbank_key("BU43", national=True)}

    result = dg.materialize(
        [bu43], resources={"settings": SettingsResource(), "warehouse": WarehouseResource()}
    )

    assert result.success
    metadata = {}
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        metadata[materialization.asset_key] = {
            key: value.value for key, value in materialization.metadata.items()
        }
    municipal = metadata[dg.AssetKey(["statbank", "bu43"])]
    national = metadata[dg.AssetKey(["statbank", "bu43_national"])]
    assert municipal["reloaded"] is True
    assert municipal["dagster/row_count"] == 3  # 101 twice, 330; not 000 or the region
    assert municipal["newest_period"] == "2023"
    assert municipal["municipalities"] == 2
    assert municipal["excluded_area_codes"] == ["084"]
    assert municipal["synthetic"] is True
    assert municipal["request"] == {}  # a synthetic snapshot was never requested
    assert municipal["snapshot_age_hours"] >= 0
    assert (national["dagster/row_count"], national["newest_period"]) == (2, "2023")
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        assert conn.execute("select count(*) from statbank.bu43").fetchone() == (3,)
        assert conn.execute("select count(*) from statbank.bu43_national").fetchone() == (2,)


def _materialize_bu43() -> dict[dg.AssetKey, dict[str, object]]:
    [bu43] = [a for a in statbank_assets if statbank_key("BU43") in a.keys]
    result = dg.materialize(
        [bu43], resources={"settings": SettingsResource(), "warehouse": WarehouseResource()}
    )
    assert result.success
    found = [
        e.step_materialization_data.materialization
        for e in result.get_asset_materialization_events()
    ]
    return {m.asset_key: {k: v.value for k, v in m.metadata.items()} for m in found}


def test_an_unchanged_snapshot_is_not_loaded_again_and_a_changed_one_is(settings: Settings):
    write_synthetic_snapshot("BU43", settings.statbank_dir, BU43.encode("utf-8"))
    first = _materialize_bu43()[statbank_key("BU43")]
    again = _materialize_bu43()[statbank_key("BU43")]
    assert (first["reloaded"], again["reloaded"]) == (True, False)
    # The kept load reports the same table as the load did.
    for name in ("dagster/row_count", "newest_period", "municipalities", "excluded_area_codes"):
        assert again[name] == first[name], name

    write_synthetic_snapshot(
        "BU43", settings.statbank_dir, (BU43 + "147;ANBR;9917;2023;0,9\n").encode()
    )
    changed = _materialize_bu43()[statbank_key("BU43")]
    assert changed["reloaded"] is True
    assert changed["dagster/row_count"] == 4
    with duckdb.connect(str(settings.warehouse_path)) as conn:
        assert conn.execute("select count(*) from statbank.bu43").fetchone() == (4,)
        conn.execute("drop table statbank.bu43_national")
    # A table gone from the warehouse is loaded again, though the snapshot is the same.
    assert _materialize_bu43()[statbank_key("BU43")]["reloaded"] is True
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        assert conn.execute("select count(*) from statbank.bu43_national").fetchone() == (2,)


def _materialize(table: str) -> dg.ExecuteInProcessResult:
    [asset] = [a for a in statbank_assets if statbank_key(table) in a.keys]
    return dg.materialize(
        [asset], resources={"settings": SettingsResource(), "warehouse": WarehouseResource()}
    )


def _metadata(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict[str, object]:
    [materialization] = [
        e.step_materialization_data.materialization
        for e in result.get_asset_materialization_events()
        if e.step_materialization_data.materialization.asset_key == key
    ]
    return {k: v.value for k, v in materialization.metadata.items()}


def _check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    [evaluation] = result.get_asset_check_evaluations()
    return evaluation


def test_a_missing_table_degrades_to_empty_tables_and_a_failed_warning_check(settings: Settings):
    """SPEC §6: degrade, never halt. The step succeeds; its figures have no rows to use."""
    result = _materialize("FOLK1A")

    assert result.success
    metadata = _metadata(result, statbank_key("FOLK1A"))
    assert metadata["status"] == "unavailable"
    assert "No StatBank snapshot for FOLK1A" in str(metadata["reason"])
    assert "request" not in str(metadata["reason"])
    assert str(metadata["consequence"]) == "not available: the per-1000 indicators and rates"
    check = _check(result)
    assert (check.passed, check.severity) == (False, dg.AssetCheckSeverity.WARN)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        assert conn.execute("select count(*) from statbank.folk1a").fetchone() == (0,)
        assert conn.execute("select count(*) from statbank.folk1a_national").fetchone() == (0,)
        status = conn.execute(
            "select status, reason from statbank.table_status where table_code = 'FOLK1A'"
        ).fetchone()
    assert status is not None and status[0] == "unavailable"


def _reason_code(settings: Settings, table: str) -> str | None:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        row = conn.execute(
            "select reason_code from statbank.table_status where table_code = ?", [table]
        ).fetchone()
    assert row is not None
    return row[0]


def test_the_reason_is_recorded_as_a_code_dbt_words(settings: Settings):
    """SPEC §6: the figures of an unusable table say why; dbt reads the code from
    statbank.table_status (macros/statbank_notes.sql words it in English and Danish)."""
    assert _metadata(_materialize("ANBAAR9"), statbank_key("ANBAAR9"))["reason_code"] == (
        "snapshot_missing"
    )
    assert _reason_code(settings, "ANBAAR9") == "snapshot_missing"
    write_synthetic_snapshot("ANBAAR9", settings.statbank_dir, b"<html>Service unavailable")
    _materialize("ANBAAR9")
    assert _reason_code(settings, "ANBAAR9") == "snapshot_unreadable"
    broken = BU43 + "147;ANBR;9917;2023;140,0\n"  # a share above 100 %
    write_synthetic_snapshot("BU43", settings.statbank_dir, broken.encode("utf-8"))
    _materialize("BU43")
    assert _reason_code(settings, "BU43") == "contract_broken"
    write_synthetic_snapshot("BU43", settings.statbank_dir, BU43.encode("utf-8"))
    _materialize("BU43")
    assert _reason_code(settings, "BU43") is None  # loaded


def test_the_table_status_asset_shows_what_the_tables_steps_left(settings: Settings):
    """dbt's source statbank.table_status is this asset; it never reads as a missing table in
    the run summary (no "reason" key: pipeline/run.py)."""
    write_synthetic_snapshot("BU43", settings.statbank_dir, BU43.encode("utf-8"))
    tables = [
        a
        for a in statbank_assets
        if statbank_key("BU43") in a.keys or statbank_key("ANBAAR9") in a.keys
    ]
    result = dg.materialize(
        [*tables, statbank_table_status],
        resources={"settings": SettingsResource(), "warehouse": WarehouseResource()},
    )
    assert result.success
    metadata = _metadata(result, TABLE_STATUS_KEY)
    assert metadata["status_by_table"] == {"ANBAAR9": "unavailable", "BU43": "loaded"}
    assert metadata["not_usable"] == ["ANBAAR9"]
    assert "reason" not in metadata


def test_the_table_status_asset_makes_an_empty_table_when_no_step_ran(settings: Settings):
    result = dg.materialize(
        [statbank_table_status],
        resources={"settings": SettingsResource(), "warehouse": WarehouseResource()},
    )
    assert result.success
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        assert conn.execute("select count(*) from statbank.table_status").fetchone() == (0,)


def test_a_snapshot_breaking_its_contract_keeps_the_previous_tables(settings: Settings):
    write_synthetic_snapshot("BU43", settings.statbank_dir, BU43.encode("utf-8"))
    assert _materialize("BU43").success
    broken = BU43 + "147;ANBR;9917;2023;140,0\n"  # a share above 100 %
    write_synthetic_snapshot("BU43", settings.statbank_dir, broken.encode("utf-8"))

    result = _materialize("BU43")

    assert result.success
    metadata = _metadata(result, statbank_key("BU43"))
    assert metadata["status"] == "previous_kept"
    assert "breaks its contract" in str(metadata["reason"])
    assert _check(result).passed is False
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        assert conn.execute("select count(*) from statbank.bu43").fetchone() == (3,)
    # The good snapshot back: loaded, and the check passes again.
    write_synthetic_snapshot("BU43", settings.statbank_dir, BU43.encode("utf-8"))
    again = _materialize("BU43")
    assert _metadata(again, statbank_key("BU43"))["status"] == "loaded"
    assert _check(again).passed is True


def test_unparseable_text_degrades_too(settings: Settings):
    write_synthetic_snapshot("ANBAAR9", settings.statbank_dir, b"<html>Service unavailable")
    result = _materialize("ANBAAR9")
    assert result.success
    metadata = _metadata(result, statbank_key("ANBAAR9"))
    assert metadata["status"] == "unavailable"
    assert "cannot be parsed" in str(metadata["reason"])
    assert "reconciliation" in str(metadata["consequence"])


def test_an_unknown_code_is_a_warning_and_left_out(settings: Settings):
    text = "ADMKOM;ANBRINGELSE;TID;INDHOLD\n0;0;2023;900\n101;0;2023;50\n101;31;2023;4\n"
    write_synthetic_snapshot("ANBAAR12", settings.statbank_dir, text.encode("utf-8"))

    result = _materialize("ANBAAR12")

    assert result.success
    metadata = _metadata(result, statbank_key("ANBAAR12"))
    assert metadata["status"] == "loaded"
    assert metadata["unknown_codes"] == {"placement_dst_code": ["31"]}
    assert metadata["unknown_code_rows"] == 1
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as conn:
        rows = conn.execute("select placement_dst_code, placed from statbank.anbaar12").fetchall()
    assert rows == [("TOT", 50)]


def test_a_csv_placed_by_hand_is_loaded_with_its_provenance(settings: Settings):
    settings.statbank_dir.mkdir(parents=True)
    (settings.statbank_dir / "BU43.csv").write_text(BU43, encoding="utf-8")

    result = _materialize("BU43")

    metadata = _metadata(result, statbank_key("BU43"))
    assert (metadata["status"], metadata["provenance"]) == ("loaded", "placed by hand")
    assert len(str(metadata["sha256"])) == 64
    assert metadata["modified_at"] != ""
    assert metadata["dagster/row_count"] == 3
