"""The delivery sensor picks up a delivery once, and only when it is complete and settled."""

import json
import os
import time

import dagster as dg

from pipeline.automation import delivery_sensor
from pipeline.automation.delivery_sensor import build_delivery_sensor
from pipeline.automation.schedules import unread_deliveries
from pipeline.landing.ledger import WarehouseBusy, read_delivery_keys
from pipeline.scope import ingest_run_config
from pipeline.settings import Settings
from pipeline.sources.extracts.deliveries import list_deliveries

CHILDREN = "cpr;unaccompanied_refugee\n010115-4001;0\n"
EMPTY = {
    # measures.csv must hold a row: one with only its header rejects the delivery (SPEC §8).
    "measures": "measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;"
    "disability;authority_granted;provider\n"
    "1;010115-4001;SEL § 52, stk. 3, nr. 7;plejefamilie;2020-01-01;;;0;1;EXTERNAL\n",
    "investigations": "investigation_id;cpr;legal_reference;decision_date;completed_date\n",
    "follow_ups": "follow_up_id;measure_id;completed_date\n",
}

sensor = build_delivery_sensor("ingest_deliveries")


def _delivery(landing, municipality, date, *, marker=True, age_seconds=3600):
    folder = landing / municipality / date
    folder.mkdir(parents=True)
    (folder / "children.csv").write_text("cpr;unaccompanied_refugee\n", encoding="utf-8")
    if marker:
        (folder / "_SUCCESS").touch()
    old = time.time() - age_seconds
    for path in folder.iterdir():
        os.utime(path, (old, old))
    return folder


def _evaluate(instance, cursor=None):
    return sensor(dg.build_sensor_context(instance=instance, cursor=cursor))


def test_a_complete_delivery_starts_one_run_for_its_municipality(harness):
    _delivery(harness.landing, "101", "2026-01-08")
    with dg.DagsterInstance.ephemeral() as instance:
        result = _evaluate(instance)
        # One ingestion run for its municipality, named in the run's configuration.
        assert [r.run_config for r in result.run_requests] == [ingest_run_config(["101"])]
        assert result.run_requests[0].run_key == "delivery-101/2026-01-08"
        assert json.loads(result.cursor) == {"101": "2026-01-08"}
        # Evaluated again with the cursor: the same delivery is not started twice.
        assert isinstance(_evaluate(instance, result.cursor), dg.SkipReason)


def test_no_marker_or_files_still_changing_are_not_picked_up(harness):
    _delivery(harness.landing, "101", "2026-01-08", marker=False)
    _delivery(harness.landing, "330", "2026-01-08", age_seconds=5)  # written seconds ago
    with dg.DagsterInstance.ephemeral() as instance:
        assert isinstance(_evaluate(instance), dg.SkipReason)


def test_a_file_written_after_the_marker_holds_the_delivery_back(harness):
    folder = _delivery(harness.landing, "101", "2026-01-08")
    later = time.time() - 100
    os.utime(folder / "children.csv", (later, later))  # newer than _SUCCESS, yet settled
    with dg.DagsterInstance.ephemeral() as instance:
        assert isinstance(_evaluate(instance), dg.SkipReason)


def test_a_newer_delivery_starts_a_new_run(harness):
    _delivery(harness.landing, "101", "2026-01-08")
    _delivery(harness.landing, "101", "2026-02-08")
    with dg.DagsterInstance.ephemeral() as instance:
        result = _evaluate(instance, json.dumps({"101": "2026-01-08"}))
        assert [r.run_key for r in result.run_requests] == ["delivery-101/2026-02-08"]


def test_deliveries_the_command_line_read_start_nothing_in_the_ui(harness):
    """`make run`, then `make dev`: the sensor (with no cursor yet) and the nightly schedule
    find every delivery in the warehouse's record and start no run. They once re-ingested all
    three demo deliveries and ran three builds, because only Dagster's metadata was read."""
    folder = harness.delivery("101", "2026-01-08", {"children": CHILDREN, **EMPTY})
    old = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (old, old))
    harness.population({("101", "2024K1"): 180})
    assert harness.run(cutoffs=["2023-12-31"]).ok

    with dg.DagsterInstance.ephemeral() as instance:
        skipped = _evaluate(instance)
    assert isinstance(skipped, dg.SkipReason)
    assert "no new complete delivery" in str(skipped.skip_message)
    settings = Settings.from_env()
    assert unread_deliveries(list_deliveries(harness.landing), settings.warehouse_path) == []
    # The record is the warehouse's: without it, the same delivery is new again.
    assert read_delivery_keys(settings.warehouse_path) == {"101/2026-01-08"}
    settings.warehouse_path.unlink()
    with dg.DagsterInstance.ephemeral() as instance:
        assert [r.run_key for r in _evaluate(instance).run_requests] == ["delivery-101/2026-01-08"]


def test_a_busy_warehouse_makes_the_sensor_wait_for_its_next_tick(harness, monkeypatch):
    _delivery(harness.landing, "101", "2026-01-08")

    def busy(_path):
        raise WarehouseBusy("the warehouse is in use by a run")

    monkeypatch.setattr(delivery_sensor, "read_delivery_keys", busy)
    with dg.DagsterInstance.ephemeral() as instance:
        result = _evaluate(instance)
    assert isinstance(result, dg.SkipReason)
    assert "next tick" in str(result.skip_message)
