"""The Dagster instance folder (`<data-dir>/dagster`) that the CLI, `dagster dev` and the daemon
share, so a run started anywhere is visible everywhere."""

from __future__ import annotations

from pathlib import Path

# Runs that write the warehouse take the "warehouse" pool; one slot, because DuckDB allows one
# writer per file. Telemetry off: the pipeline runs on machines without internet.
DAGSTER_YAML = """\
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
"""


def ensure_dagster_home(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return path
