"""Where dbt writes, and keeping its manifest in step with the dbt project.

The code checkout is read-only at run time, so everything dbt writes goes under
`<data-dir>/dbt/`:

- `manifest/`: the manifest Dagster builds the dbt assets from when the definitions are
  imported, with the parse it came from. A manifest older than the models would describe
  models and tests that no longer match (and fail a run half-way), so `ensure_manifest` runs
  `dbt parse` whenever a project file is newer than it.
- `invocations/`: one target folder per `dbt build` (compiled SQL, dbt.log), the newest
  `KEEP_INVOCATIONS` kept, so a failed build can still be read the next morning.
- `partial_parse.msgpack`: the last build's parse, which the next build starts from.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from pipeline.paths import DBT_PROJECT_DIR
from pipeline.settings import data_dir_from_env

_WATCHED = ("models", "seeds", "macros", "tests", "dbt_project.yml", "profiles.yml")
PARTIAL_PARSE = "partial_parse.msgpack"
# One build per run: the folders of the last five runs.
KEEP_INVOCATIONS = 5

# The venv's own dbt, so nothing depends on PATH (cron, the daemon, `make dev`, CI).
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"


def dbt_dir(data_dir: Path | None = None) -> Path:
    return (data_dir or data_dir_from_env()) / "dbt"


@functools.cache
def manifest_dir() -> Path:
    """Under the data directory of the process's first call, and there for the whole process:
    the Dagster definitions are built from this manifest once, when they are imported, while
    the data directory of a run (a test's, say) may be another one. The CLI applies
    `--data-dir` before its first call."""
    return dbt_dir() / "manifest"


def manifest_path() -> Path:
    return manifest_dir() / "manifest.json"


def partial_parse_path(data_dir: Path) -> Path:
    """The parse a build or the docs start from: the last build's, else the manifest's."""
    kept = dbt_dir(data_dir) / PARTIAL_PARSE
    return kept if kept.is_file() else manifest_dir() / PARTIAL_PARSE


def is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    manifest = manifest_path()
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
        target = manifest_dir()
        target.mkdir(parents=True, exist_ok=True)
        completed = subprocess.run(
            [str(DBT_EXECUTABLE), "parse", "--quiet", "--target-path", str(target)],
            cwd=project_dir,
            env={**os.environ, **dbt_output_environment(target)},
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"dbt parse failed:\n{completed.stdout}{completed.stderr}")
    return manifest_path()


def dbt_output_environment(target: Path) -> dict[str, str]:
    """Everything a dbt process writes goes to `target`: artifacts and dbt.log (dbt's default
    for both is the project folder), and no `.user.yml` beside profiles.yml."""
    return {
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def new_invocation_dir(data_dir: Path, label: str) -> Path:
    """A fresh target folder for one dbt build, holding the parse it starts from; older
    folders beyond the newest `KEEP_INVOCATIONS` are removed."""
    invocations = dbt_dir(data_dir) / "invocations"
    invocations.mkdir(parents=True, exist_ok=True)
    prune_invocations(invocations, keep=KEEP_INVOCATIONS - 1)
    folder = invocations / f"{label}-{uuid.uuid4().hex[:7]}"
    folder.mkdir()
    parsed = partial_parse_path(data_dir)
    if parsed.is_file():
        shutil.copyfile(parsed, folder / PARTIAL_PARSE)
    return folder


def prune_invocations(invocations: Path, keep: int) -> None:
    folders = sorted(
        (path for path in invocations.iterdir() if path.is_dir()),
        key=lambda path: path.stat().st_mtime_ns,
    )
    for folder in folders[: max(len(folders) - keep, 0)]:
        shutil.rmtree(folder, ignore_errors=True)


def keep_partial_parse(invocation_dir: Path, data_dir: Path) -> None:
    """Make this build's parse the one the next build starts from. dagster-dbt never copies
    it back; without it every build parsed the whole project again ("profile has changed")."""
    parsed = invocation_dir / PARTIAL_PARSE
    if not parsed.is_file():
        return
    destination = dbt_dir(data_dir) / PARTIAL_PARSE
    incoming = destination.with_suffix(".incoming")
    shutil.copyfile(parsed, incoming)
    incoming.replace(destination)
