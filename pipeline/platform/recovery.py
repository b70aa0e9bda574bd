"""Clean up after a `noegletal run` that was killed.

`noegletal run` executes its Dagster runs in its own process. Killed (SIGKILL, a reboot, the
OOM killer), it cannot mark them finished, and every step it had started keeps its slot of the
"warehouse" pool claimed (dagster.yaml, limit 1). The next run's first warehouse step would
then wait for that slot forever. So each run is tagged with the process that executes it, and
before a new command starts, runs whose process is gone have their slots freed and are marked
failed. Runs without the tags (launched by the Dagster UI or daemon) are left to Dagster,
except that slots of runs already finished are freed too.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

import dagster as dg

PID_TAG = "noegletal/pid"
HOST_TAG = "noegletal/host"


def process_tags() -> dict[str, str]:
    """Tags that name the process executing a run."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _abandoned(run: dg.DagsterRun | None) -> bool:
    if run is None or run.is_finished:
        return True
    pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
    if pid is None or host != socket.gethostname():
        return False
    return int(pid) != os.getpid() and not _process_alive(int(pid))


def release_abandoned_runs(instance: dg.DagsterInstance, out: Callable[[str], None]) -> list[str]:
    """Free the pool slots of runs whose process is gone, and mark those runs failed."""
    storage = instance.event_log_storage
    holders = {
        slot.run_id
        for key in storage.get_concurrency_keys()
        for slot in storage.get_concurrency_info(key).claimed_slots
    }
    released: list[str] = []
    for run_id in sorted(holders):
        run = instance.get_run_by_id(run_id)
        if not _abandoned(run):
            continue
        storage.free_concurrency_slots_for_run(run_id)
        if run is not None and not run.is_finished:
            instance.report_run_failed(
                run, "the process executing this run ended without finishing it (killed?)"
            )
            out(f"Run {run_id} was left unfinished by a killed process: marked failed")
        released.append(run_id)
    return released
