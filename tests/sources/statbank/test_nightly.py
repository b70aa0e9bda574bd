"""The nightly refresh policy: stale snapshots are fetched, fresh ones kept, and the offline
switch (or a night where everything is fresh) never touches the network."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from pipeline.settings import Settings, SettingsError
from pipeline.sources.statbank.client import StatBankClient
from pipeline.sources.statbank.command import describe
from pipeline.sources.statbank.nightly import refresh_stale_snapshots
from pipeline.sources.statbank.snapshots import (
    is_synthetic,
    snapshot_paths,
    write_synthetic_snapshot,
)
from pipeline.sources.statbank.tables import STATBANK_TABLES
from tests.sources.statbank.standin import BULK, StandIn


def _live_snapshot(standin: StandIn, landing: Path, table: str, hours_old: float) -> None:
    """A non-synthetic snapshot, fetched from the stand-in and then aged."""
    standin.serve_table(table)
    settings = Settings(
        landing_dir=landing,
        data_dir=landing / "data",
        environment="production",
        statbank_url=standin.base_url,
        statbank_max_age=timedelta(0),
    )
    [result] = refresh_stale_snapshots(settings, tables=[table])
    assert result.status == "fetched"
    stamp = time.time() - hours_old * 3600
    os.utime(snapshot_paths(table, settings.statbank_dir)[0], (stamp, stamp))


def _no_network() -> StatBankClient:
    raise AssertionError("the nightly refresh created a client although nothing was stale")


def test_fresh_snapshots_are_kept_without_creating_a_client(standin: StandIn, tmp_path: Path):
    for table in STATBANK_TABLES:
        _live_snapshot(standin, tmp_path, table, hours_old=2)
    hits = len(standin.requests)
    settings = Settings(
        landing_dir=tmp_path,
        data_dir=tmp_path / "data",
        environment="production",
        statbank_max_age=timedelta(hours=3),
    )

    results = refresh_stale_snapshots(settings, client_factory=_no_network)

    assert [(r.table, r.status) for r in results] == [(t, "fresh") for t in STATBANK_TABLES]
    assert len(standin.requests) == hits


def test_a_stale_snapshot_is_fetched_with_the_configured_max_age(standin: StandIn, tmp_path: Path):
    _live_snapshot(standin, tmp_path, "BU43", hours_old=10)
    _live_snapshot(standin, tmp_path, "ANBAAR9", hours_old=2)
    standin.serve_table("BU43")  # what the stand-in answers from now on
    data_calls = standin.hits("data")
    settings = Settings(
        landing_dir=tmp_path,
        data_dir=tmp_path / "data",
        environment="production",
        statbank_url=standin.base_url,
        statbank_max_age=timedelta(hours=6),
    )

    results = refresh_stale_snapshots(settings, tables=["BU43", "ANBAAR9"])

    assert [(r.table, r.status) for r in results] == [("BU43", "fetched"), ("ANBAAR9", "fresh")]
    assert standin.hits("data") == data_calls + 1


def test_offline_switch_keeps_even_stale_and_synthetic_snapshots(tmp_path: Path):
    settings = Settings(
        landing_dir=tmp_path,
        data_dir=tmp_path / "data",
        environment="production",
        statbank_max_age=timedelta(hours=1),
        statbank_offline=True,
    )
    write_synthetic_snapshot("BU43", settings.statbank_dir, BULK["BU43"].encode())
    csv_path = snapshot_paths("BU43", settings.statbank_dir)[0]
    stamp = time.time() - 48 * 3600
    os.utime(csv_path, (stamp, stamp))

    bu43, folk1a = refresh_stale_snapshots(
        settings, tables=["BU43", "FOLK1A"], client_factory=_no_network
    )

    assert bu43.status == "offline" and bu43.ok
    assert bu43.age is not None and bu43.age > timedelta(hours=47)
    assert is_synthetic("BU43", settings.statbank_dir)
    assert "offline: not fetched" in describe(bu43)
    # Offline and no snapshot at all: a failure the schedule can report, still no network.
    assert folk1a.status == "failed" and not folk1a.ok
    assert "NOEGLETAL_STATBANK_OFFLINE" in (folk1a.error or "")
    assert "there is no snapshot" in describe(folk1a)


def test_settings_read_max_age_and_offline_switch():
    base = {"NOEGLETAL_ENV": "production", "NOEGLETAL_PSEUDONYM_KEY": "k" * 32}
    production = Settings.from_env(base)
    assert production.statbank_max_age == timedelta(hours=168)
    assert production.statbank_offline is False
    # Demo data must never be replaced by live tables behind the user's back.
    assert Settings.from_env({"NOEGLETAL_ENV": "demo"}).statbank_offline is True
    assert (
        Settings.from_env(
            {"NOEGLETAL_ENV": "demo", "NOEGLETAL_STATBANK_OFFLINE": "0"}
        ).statbank_offline
        is False
    )
    custom = Settings.from_env(
        {**base, "NOEGLETAL_STATBANK_MAX_AGE_HOURS": "36", "NOEGLETAL_STATBANK_OFFLINE": "ja"}
    )
    assert custom.statbank_max_age == timedelta(hours=36)
    assert custom.statbank_offline is True


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NOEGLETAL_STATBANK_MAX_AGE_HOURS", "a week"),
        ("NOEGLETAL_STATBANK_MAX_AGE_HOURS", "-1"),
        ("NOEGLETAL_STATBANK_MAX_AGE_HOURS", "nan"),
        ("NOEGLETAL_STATBANK_OFFLINE", "maybe"),
    ],
)
def test_settings_refuse_unreadable_values(name: str, value: str):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"NOEGLETAL_ENV": "demo", name: value})
