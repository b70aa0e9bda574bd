"""dbt's documentation, generated with the run and published beside the report.

`dbt docs generate --static` writes one self-contained HTML file (manifest and catalog inside),
which opens from disk without a server, so a BI developer can read every table and column
definition of the warehouse and of what is published. It is generated into a temporary target
folder, so the manifest Dagster reads (dbt_project/target) is never touched mid-run; that
manifest (kept current by `ensure_manifest`) is copied in and used as it is (`--no-compile`),
which halves the time: the docs show each model's SQL as written, not compiled.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.dbt_manifest import manifest_path
from pipeline.paths import DBT_PROJECT_DIR
from pipeline.publish.db import PublicationError
from pipeline.settings import Settings

STATIC_PAGE = "static_index.html"


def write_docs(settings: Settings, folder: Path) -> Path:
    """Generate the docs against the warehouse and write `folder/index.html`. The caller must
    not hold the warehouse open: dbt opens it in its own process."""
    folder.mkdir(parents=True, exist_ok=True)
    dbt = Path(sys.executable).parent / "dbt"
    env = {
        **os.environ,
        "NOEGLETAL_WAREHOUSE_PATH": str(settings.warehouse_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    with tempfile.TemporaryDirectory(prefix="noegletal-docs-") as target:
        shutil.copyfile(manifest_path(), Path(target) / "manifest.json")
        completed = subprocess.run(
            [
                str(dbt),
                "docs",
                "generate",
                "--static",
                "--no-compile",
                "--target-path",
                target,
                "--quiet",
            ],
            cwd=DBT_PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        page = Path(target) / STATIC_PAGE
        if completed.returncode != 0 or not page.exists():
            # dbt's own messages name models and SQL errors, not rows.
            raise PublicationError(
                "dbt docs generate failed: " + (completed.stdout + completed.stderr)[-2000:]
            )
        destination = folder / "index.html"
        shutil.copyfile(page, destination)
    return destination
