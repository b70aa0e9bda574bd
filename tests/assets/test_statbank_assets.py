"""The StatBank assets: one step per table writes two tables, each its own asset, with the row
count, the newest period (TID) and where the snapshot came from as metadata."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipeline.assets.statbank import statbank_assets, statbank_key
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
