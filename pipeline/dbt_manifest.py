"""Keep dbt's manifest in step with the dbt project.

Dagster builds the dbt assets from `dbt_project/target/manifest.json` when the definitions are
imported. A manifest older than the models would describe models and tests that no longer
match (and fail a run half-way), so the entry points call `ensure_manifest` first: it runs
`dbt parse` only when a project file is newer than the manifest. `dagster dev` does the same
through `DbtProject.prepare_if_dev`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipeline.paths import DBT_PROJECT_DIR

_WATCHED = ("models", "seeds", "macros", "tests", "dbt_project.yml", "profiles.yml")


def manifest_path(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    return project_dir / "target" / "manifest.json"


def is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    manifest = manifest_path(project_dir)
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for name in _WATCHED:
        path = project_dir / name
        files = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        if any(f.is_file() and f.stat().st_mtime > built for f in files):
            return True
    return False


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    if is_stale(project_dir):
        dbt = Path(sys.executable).parent / "dbt"
        completed = subprocess.run(
            [str(dbt), "parse", "--quiet"],
            cwd=project_dir,
            env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"dbt parse failed:\n{completed.stdout}{completed.stderr}")
    return manifest_path(project_dir)
