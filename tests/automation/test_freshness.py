"""Freshness checks fail on a stale delivery or StatBank snapshot."""

import datetime as dt
import os
import time

from pipeline.automation.freshness import deliveries_fresh, freshness_checks


def _snapshot_check(table):
    return next(c for c in freshness_checks if table.lower() in str(next(iter(c.check_keys))))


def test_deliveries_older_than_the_limit_fail_the_check(harness, monkeypatch):
    monkeypatch.setenv("NOEGLETAL_DELIVERY_MAX_AGE_DAYS", "35")
    today = dt.date.today()
    (harness.landing / "101" / (today - dt.timedelta(days=3)).isoformat()).mkdir(parents=True)
    assert deliveries_fresh().passed
    (harness.landing / "330" / (today - dt.timedelta(days=40)).isoformat()).mkdir(parents=True)
    result = deliveries_fresh()
    assert not result.passed
    assert "330" in result.description and "101" not in result.description


def test_a_stale_statbank_snapshot_fails_its_check(harness, monkeypatch):
    harness.population({("101", "2024K1"): 180})
    check = _snapshot_check("FOLK1A")
    assert check().passed
    monkeypatch.setenv("NOEGLETAL_STATBANK_MAX_AGE_DAYS", "100")
    old = time.time() - 101 * 86400
    os.utime(harness.landing / "statbank" / "FOLK1A.csv", (old, old))
    assert not check().passed
