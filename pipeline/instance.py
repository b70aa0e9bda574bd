"""The Dagster instance folder (`<data-dir>/dagster`) that the CLI, `dagster dev` and the daemon
share, so a run started anywhere is visible everywhere."""

from __future__ import annotations

from pathlib import Path

# Every asset that writes the warehouse is in the "warehouse" pool. One slot, held for the
# whole run (granularity: run), because DuckDB allows one writer per file: a second run that
# touches the warehouse waits in the queue until the first has finished. Telemetry off: the
# pipeline runs on machines without internet.
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  pools:
    granularity: run
    default_limit: 1
"""


def ensure_dagster_home(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return path
