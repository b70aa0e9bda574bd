"""A killed `noegletal run` must not leave the warehouse pool's slot claimed forever."""

import os
import socket
import subprocess
import sys

import dagster as dg

from pipeline.platform.recovery import HOST_TAG, PID_TAG, release_abandoned_runs


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _started_run(instance: dg.DagsterInstance, run_id: str, pid: int) -> None:
    instance.add_run(
        dg.DagsterRun(
            job_name="build_indicators",
            run_id=run_id,
            status=dg.DagsterRunStatus.STARTED,
            tags={PID_TAG: str(pid), HOST_TAG: socket.gethostname()},
        )
    )
    instance.event_log_storage.claim_concurrency_slot("warehouse", run_id, "step")


def test_slots_of_runs_whose_process_died_are_freed_and_the_runs_failed():
    with dg.instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots("warehouse", 2)
        _started_run(instance, "killed", _dead_pid())
        _started_run(instance, "alive", os.getppid())  # pytest's parent: alive
        notes: list[str] = []
        assert release_abandoned_runs(instance, notes.append) == ["killed"]
        claimed = {s.run_id for s in storage.get_concurrency_info("warehouse").claimed_slots}
        assert claimed == {"alive"}
        killed = instance.get_run_by_id("killed")
        assert killed is not None and killed.status == dg.DagsterRunStatus.FAILURE
        assert notes and "killed" in notes[0]
