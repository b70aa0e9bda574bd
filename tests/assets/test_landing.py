"""The ingestion asset: re-ingesting a delivery changes nothing, a rejected delivery leaves the
previous rows in place, the stored-rows check counts what the contract accepted, and a
file's metadata holds the run's totals."""

import datetime as dt
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from pipeline.assets.landing import STORED_CHECK, _file_metadata
from pipeline.definitions import INGEST_JOB, defs
from pipeline.landing.check_delivery import DeliveryOutcome, FileOutcome
from pipeline.scope import ingest_run_config
from pipeline.sources.extracts.deliveries import Delivery
from pipeline.sources.extracts.spec import FILES

CHILDREN = "cpr;unaccompanied_refugee\n010115-4001;0\n020215-4002;ja\n"
MEASURES = (
    "measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;"
    "disability;authority_granted;provider\n"
    "1;010115-4001;SEL § 52, stk. 3, nr. 7;døgninstitution;2020-01-01;;;0;1;EXTERNAL\n"
    "2;020215-4002;BL § 32, stk. 1, nr. 2;;2024-02-01;;;0;1;INTERNAL\n"
)
CORE = {
    "children": CHILDREN,
    "measures": MEASURES,
    "investigations": "investigation_id;cpr;legal_reference;decision_date;completed_date\n",
    "follow_ups": "follow_up_id;measure_id;completed_date\nF1;1;2021-01-01\n",
}
TABLES = ["children", "measures", "follow_ups", "quarantine", "deliveries", "delivery_files"]


def _ingest(instance) -> bool:
    result = defs.resolve_job_def(INGEST_JOB).execute_in_process(
        instance=instance, run_config=ingest_run_config(["101"]), raise_on_error=False
    )
    return result.success


def _snapshot(harness) -> dict[str, pd.DataFrame]:
    return {
        table: harness.query(f"select * exclude (run_id, {_time(table)}) from landing.{table}")
        if table in ("quarantine", "deliveries")
        else harness.query(f"select * from landing.{table} order by all")
        for table in TABLES
    }


def _time(table: str) -> str:
    return "quarantined_at" if table == "quarantine" else "ingested_at"


@pytest.mark.slow
def test_reingesting_the_same_delivery_gives_the_same_tables(harness):
    harness.delivery("101", "2026-01-08", CORE)
    with dg.DagsterInstance.ephemeral() as instance:
        assert _ingest(instance)
        first = _snapshot(harness)
        assert _ingest(instance)
        second = _snapshot(harness)
    assert len(first["measures"]) == 2
    for table in TABLES:
        pd.testing.assert_frame_equal(first[table], second[table], obj=table)


@pytest.mark.slow
def test_a_rejected_newer_delivery_leaves_the_previous_rows(harness):
    harness.delivery("101", "2026-01-08", CORE)
    with dg.DagsterInstance.ephemeral() as instance:
        assert _ingest(instance)
        broken = {**CORE, "children": "cpr;unaccompanied_refugee\n310215-4001;0\n"}
        harness.delivery("101", "2026-02-08", broken)
        assert not _ingest(instance)  # the blocking check "newest delivery accepted" fails
    measures = harness.query("select delivery_date from landing.measures")
    assert set(measures["delivery_date"].astype(str)) == {"2026-01-08"}
    verdicts = harness.query("select delivery_date, status from landing.deliveries order by 1")
    assert verdicts["status"].tolist() == ["accepted", "rejected"]


@pytest.mark.slow
def test_the_stored_rows_check_counts_the_accepted_rows_of_every_file(harness):
    # CORE: 2 children, 2 measures, 0 investigations, 1 follow-up, all accepted.
    harness.delivery("101", "2026-01-08", CORE)
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def(INGEST_JOB).execute_in_process(
            instance=instance, run_config=ingest_run_config(["101"])
        )
    checks = {
        e.asset_key.path[-1]: e
        for e in result.get_asset_check_evaluations()
        if e.check_name == STORED_CHECK
    }
    assert len(checks) == len(FILES)
    assert all(e.passed for e in checks.values())
    rows = {name: e.metadata["rows_checked"].value for name, e in checks.items()}
    assert (rows["children"], rows["measures"], rows["investigations"]) == (2, 2, 0)
    assert rows["follow_ups"] == 1


def test_a_file_asset_carries_the_run_totals_and_which_deliveries_lack_the_file():
    def outcome(code: str, expenses: FileOutcome | None, rejection: str | None = None):
        delivery = Delivery(code, dt.date(2026, 1, 8), Path(f"/landing/{code}"))
        files = {"expenses": expenses} if expenses else {}
        return DeliveryOutcome(delivery=delivery, files=files, rejection=rejection)

    read = FileOutcome("expenses", present=True, rows_read=10, rows_accepted=9, rows_quarantined=1)
    outcomes = [
        outcome("101", read),
        outcome("147", None),
        outcome("151", FileOutcome(file="expenses", present=True, rows_read=4), "too many"),
    ]
    metadata = _file_metadata("expenses", outcomes, total=25)
    assert metadata["dagster/row_count"] == 25
    assert metadata["deliveries_this_run"] == 3
    # A rejected delivery's rows are not counted as accepted or read into the tables.
    assert (metadata["rows_read_this_run"], metadata["rows_accepted_this_run"]) == (10, 9)
    assert metadata["rows_quarantined_this_run"] == 1
    assert metadata["municipalities_without_the_file"].value == ["147"]
    assert metadata["municipalities_rejected"].value == ["151"]
