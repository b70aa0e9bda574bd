"""The Dagster instance folder (`<data-dir>/dagster`) that the CLI, `dagster dev` and the daemon
share, so a run started anywhere is visible everywhere."""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Every asset that writes the warehouse is in the "warehouse" pool. One slot, held for the
# whole run (granularity: run), because DuckDB allows one writer per file: a second run that
# touches the warehouse waits in the queue until the first has finished. Telemetry off: the
# pipeline runs on machines without internet. The event log is Dagster's SQLite layout with
# its connections kept open (pipeline/platform/event_log_storage.py says why).
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  pools:
    granularity: run
    default_limit: 1
event_log_storage:
  module: pipeline.platform.event_log_storage
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {event_log_dir}
"""


OLD_EVENT_LOG_MODULE = "module: pipeline.event_log_storage\n"
NEW_EVENT_LOG_MODULE = "module: pipeline.platform.event_log_storage\n"


def ensure_dagster_home(path: Path) -> Path:
    """Create the instance folder and its dagster.yaml, unless one exists (it is the operator's
    to change)."""
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if config.exists():
        # The event log class moved with the Dagster plumbing into pipeline/platform/; an
        # instance folder written before names its old module, which no longer exists.
        text = config.read_text(encoding="utf-8")
        if OLD_EVENT_LOG_MODULE in text:
            config.write_text(
                text.replace(OLD_EVENT_LOG_MODULE, NEW_EVENT_LOG_MODULE), encoding="utf-8"
            )
    else:
        # Dagster's own default place for the run-sharded event logs.
        event_log_dir = (path / "history" / "runs").resolve()
        # JSON quoting is valid YAML: a path with spaces or colons stays one string.
        text = DAGSTER_YAML.format(event_log_dir=json.dumps(str(event_log_dir)))
        config.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    # `make dev` prepares the folder before `dagster dev` reads it.
    ensure_dagster_home(Path(sys.argv[1]))
