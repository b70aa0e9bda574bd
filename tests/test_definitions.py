"""What `dagster dev -w workspace.yaml` shows: every job, schedule and sensor, and a code
location that loads."""

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.definitions import defs

ROOT = Path(__file__).resolve().parents[1]


def test_jobs_schedules_and_sensors_are_defined():
    assert {j.name for j in defs.jobs} >= {
        "ingest_deliveries",
        "build_indicators",
        "check_freshness",
    }
    assert {s.name for s in defs.schedules} == {"nightly", "freshness"}
    assert {s.name for s in defs.sensors} == {
        "new_delivery",
        "build_after_ingest_success",
        "build_after_ingest_failure",
        "alert_on_run_failure",
    }
    nightly = next(s for s in defs.schedules if s.name == "nightly")
    assert (nightly.cron_schedule, nightly.execution_timezone) == ("0 2 * * *", "Europe/Copenhagen")


@pytest.mark.slow
def test_the_workspace_loads_in_dagster(tmp_path):
    dagster = str(Path(sys.executable).parent / "dagster")
    completed = subprocess.run(
        [dagster, "definitions", "validate", "-w", str(ROOT / "workspace.yaml")],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "NOEGLETAL_ENV": "demo", "DAGSTER_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "passed validation" in completed.stderr + completed.stdout
