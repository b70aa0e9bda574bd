"""An ingestion run leads to build runs for exactly the municipalities it accepted; the nightly
schedule reads only deliveries not read before; warehouse runs never overlap."""

import os
import time

import dagster as dg
import pytest

from pipeline.automation.build_sensor import build_requests
from pipeline.automation.schedules import unread_deliveries
from pipeline.definitions import INGEST_JOB, defs
from pipeline.platform.instance import ensure_dagster_home
from pipeline.scope import BUILD_OP, ingest_run_config
from pipeline.settings import Settings
from pipeline.sources.extracts.deliveries import list_deliveries

CHILDREN = "cpr;unaccompanied_refugee\n010115-4001;0\n020215-4002;0\n"
BROKEN_CHILDREN = "cpr;unaccompanied_refugee\n010115-4001;0\n310215-4002;0\n"  # 50 % bad
# A delivery with children and measures (a measures.csv with only its header is rejected).
CASE_FILES = {
    "measures": "measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;"
    "disability;authority_granted;provider\n"
    "1;010115-4001;SEL § 52, stk. 3, nr. 3;;2020-01-01;;;0;1;INTERNAL\n",
    "investigations": "investigation_id;cpr;legal_reference;decision_date;completed_date\n",
    "follow_ups": "follow_up_id;measure_id;completed_date\n",
}


def _settled(folder):
    old = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (old, old))


@pytest.mark.slow
def test_build_follows_accepted_deliveries_and_the_schedule_skips_read_ones(harness):
    _settled(harness.delivery("101", "2026-01-08", {"children": CHILDREN, **CASE_FILES}))
    _settled(harness.delivery("330", "2026-01-08", {"children": BROKEN_CHILDREN, **CASE_FILES}))
    ensure_dagster_home(harness.data_dir / "dagster")
    with dg.DagsterInstance.get() as instance:
        result = defs.resolve_job_def(INGEST_JOB).execute_in_process(
            instance=instance, run_config=ingest_run_config(["101", "330"]), raise_on_error=False
        )
        assert not result.success  # 330's delivery was rejected: a blocking check failed

        requests = build_requests(result.run_id)
        # Municipality 101 only, every cut-off date (no dates in the scope).
        assert [r.run_config for r in requests] == [
            {"ops": {BUILD_OP: {"config": {"municipalities": ["101"], "cutoff_dates": []}}}}
        ]

        # Both deliveries were read (one accepted, one rejected): nothing for the night.
        warehouse = Settings.from_env().warehouse_path
        assert unread_deliveries(list_deliveries(harness.landing), warehouse) == []
        _settled(harness.delivery("330", "2026-02-01", {"children": CHILDREN, **CASE_FILES}))
        unread = unread_deliveries(list_deliveries(harness.landing), warehouse)
        assert [d.key for d in unread] == ["330/2026-02-01"]


def test_runs_that_write_the_warehouse_wait_for_each_other(tmp_path):
    ensure_dagster_home(tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        pools = instance.get_concurrency_config().pool_config
        assert pools.pool_granularity.value == "run"
        assert pools.default_pool_limit == 1
    writers = {
        a.node_def.name: a.node_def.pool
        for a in defs.resolve_asset_graph().assets_defs
        if a.is_executable and a.keys  # assets, not stand-alone checks
    }
    assert set(writers.values()) == {"warehouse"}, writers
