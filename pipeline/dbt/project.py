"""Where dbt writes, and keeping its manifest in step with the dbt project.

The code checkout is read-only at run time, so everything dbt writes goes under
`<data-dir>/dbt/`:

- `manifest/`: the manifest Dagster builds the dbt assets from when the definitions are
  imported, with the parse it came from. A manifest older than the models would describe
  models and tests that no longer match (and fail a run half-way), so `ensure_manifest` runs
  `dbt parse` whenever the project's files differ from those it was parsed from (a content
  key, not file times: a deleted model or a data directory copied with new times must count).
- `invocations/`: one target folder per `dbt build` (compiled SQL, dbt.log), the newest
  `KEEP_INVOCATIONS` kept, so a failed build can still be read the next morning.
- `partial_parse.msgpack`: the last build's parse, which the next build starts from while
  the project is the one it was parsed from (`partial_parse.sha256`, its `project_key`).
  After a change of the project (an upgrade, a rollback) the manifest is parsed from scratch
  and builds start from that parse: dbt's partial parsing, started from another version's
  parse, kept tests of a YAML file as the other version had them and failed the build on a
  generic test this version does not have (seen building one data directory with two
  versions of the project in turn).
"""

from __future__ import annotations

import functools
import hashlib
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
# Beside the manifest: the `project_key` of the files it was parsed from.
PROJECT_KEY = "project.sha256"
# Beside the kept partial parse: the `project_key` of the build that left it.
PARTIAL_PARSE_KEY = "partial_parse.sha256"
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
    """The parse a build or the docs start from: the last build's, when it parsed the project
    the manifest was parsed from, else the manifest's."""
    kept = dbt_dir(data_dir) / PARTIAL_PARSE
    key = kept.with_name(PARTIAL_PARSE_KEY)
    current = parsed_key(manifest_path())
    kept_key = key.read_text(encoding="utf-8").strip() if key.is_file() else None
    if kept.is_file() and current is not None and kept_key == current:
        return kept
    return manifest_dir() / PARTIAL_PARSE


def project_key(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """A digest of every file dbt parses: their paths and contents."""
    digest = hashlib.sha256()
    for name in _WATCHED:
        path = project_dir / name
        files = [path] if path.is_file() else sorted(path.rglob("*")) if path.exists() else []
        for file in files:
            if file.is_file():
                digest.update(file.relative_to(project_dir).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def parsed_key(manifest: Path) -> str | None:
    """The `project_key` a manifest was parsed from, or None without one (or the manifest)."""
    key = manifest.parent / PROJECT_KEY
    if not (manifest.is_file() and key.is_file()):
        return None
    return key.read_text(encoding="utf-8").strip()


def ensure_manifest(project_dir: Path = DBT_PROJECT_DIR) -> Path:
    # Taken before the parse: a file changed during it makes the next call parse again.
    key = project_key(project_dir)
    manifest = manifest_path()
    if parsed_key(manifest) != key:
        manifest.parent.mkdir(parents=True, exist_ok=True)
        # From scratch: a parse of another version of the project is no safe start (above).
        (manifest.parent / PARTIAL_PARSE).unlink(missing_ok=True)
        completed = subprocess.run(
            [str(DBT_EXECUTABLE), "parse", "--quiet", "--target-path", str(manifest.parent)],
            cwd=project_dir,
            env={**os.environ, **dbt_output_environment(manifest.parent)},
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"dbt parse failed:\n{completed.stdout}{completed.stderr}")
        (manifest.parent / PROJECT_KEY).write_text(key + "\n", encoding="utf-8")
    return manifest


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
    key = parsed_key(manifest_path())
    destination = dbt_dir(data_dir) / PARTIAL_PARSE
    key_file = destination.with_name(PARTIAL_PARSE_KEY)
    incoming = destination.with_suffix(".incoming")
    shutil.copyfile(parsed, incoming)
    # The old key goes first: a crash in between leaves a parse without a key, which is not
    # used, never a parse under another project's key.
    key_file.unlink(missing_ok=True)
    incoming.replace(destination)
    if key is not None:
        key_file.write_text(key + "\n", encoding="utf-8")
