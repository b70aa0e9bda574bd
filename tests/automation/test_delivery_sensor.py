"""The delivery sensor picks up a delivery once, and only when it is complete and settled."""

import json
import os
import time

import dagster as dg

from pipeline.automation.delivery_sensor import build_delivery_sensor

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
        assert [r.partition_key for r in result.run_requests] == ["101"]
        assert result.run_requests[0].run_key == "delivery-101/2026-01-08"
        assert result.dynamic_partitions_requests[0].partition_keys == ["101"]
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
