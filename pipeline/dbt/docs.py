"""dbt's documentation, generated with the run and published beside the report.

`dbt docs generate --static` writes one self-contained HTML file (manifest and catalog inside),
which opens from disk without a server, so a BI developer can read every table and column
definition of the warehouse and of what is published. It is generated into a temporary target
folder, so the manifest Dagster reads (`<data-dir>/dbt/manifest`) is never touched mid-run;
that manifest (kept current by `ensure_manifest`) is copied in and used as it is (`--no-compile`),
which halves the time: the docs show each model's SQL as written, not compiled.

The page depends on the manifest and the warehouse's tables and columns, which the manifest
defines; so when the manifest (without its timestamps) and this code are those of the previous
publication, its page is carried over instead of generated again (about 8 seconds of a nightly
run).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.code_version import code_key
from pipeline.dbt.environment import dbt_variables
from pipeline.dbt.project import (
    DBT_EXECUTABLE,
    PARTIAL_PARSE,
    dbt_dir,
    dbt_output_environment,
    manifest_path,
    partial_parse_path,
)
from pipeline.paths import DBT_PROJECT_DIR
from pipeline.publish.carry_over import CarryOver, fingerprint
from pipeline.publish.db import PublicationError
from pipeline.settings import Settings

STATIC_PAGE = "static_index.html"


def write_docs(settings: Settings, folder: Path, previous: Path | None = None) -> CarryOver:
    """Generate the docs against the warehouse and write `folder/index.html`, or carry the
    page over from the previous publication's `previous` folder when nothing it shows has
    changed. The caller must not hold the warehouse open: dbt opens it in its own process."""
    folder.mkdir(parents=True, exist_ok=True)
    page = CarryOver(folder, previous)
    if not page.reuse("index.html", _fingerprint()):
        _generate(settings, folder / "index.html")
    page.save()
    return page


def _fingerprint() -> str:
    manifest = json.loads(manifest_path().read_text(encoding="utf-8"))
    manifest.pop("metadata", None)  # generated_at, invocation_id: new on every parse
    return fingerprint(code_key(Path(__file__)), manifest)


def _generate(settings: Settings, destination: Path) -> None:
    work = dbt_dir(settings.data_dir)
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docs-", dir=work) as target:
        env = {
            **os.environ,
            # As in the run's builds, so dbt can start from their parse.
            **dbt_variables(settings),
            **dbt_output_environment(Path(target)),
        }
        shutil.copyfile(manifest_path(), Path(target) / "manifest.json")
        # The run's last dbt build left its parse there (project.keep_partial_parse).
        parsed = partial_parse_path(settings.data_dir)
        if parsed.is_file():
            shutil.copyfile(parsed, Path(target) / PARTIAL_PARSE)
        completed = subprocess.run(
            [
                str(DBT_EXECUTABLE),
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
        shutil.copyfile(page, destination)
