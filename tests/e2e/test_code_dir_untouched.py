"""A run writes nothing into the code checkout: a nightly job runs from a read-only code
directory, and dbt's target folders and logs (about 18 MB a run) once piled up in
`dbt_project/`. Running as root, a read-only mount cannot be simulated with file modes, so the
test compares every file and folder of the checkout before and after a whole run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipeline.dbt.project import KEEP_INVOCATIONS, dbt_dir, prune_invocations
from pipeline.paths import PROJECT_DIR
from tests.harness import EMPTY_CORE_FILES, ONE_CHILD, ONE_PLACEMENT

# What is not code: the venv, git, caches and the default data directory of `make run`.
NOT_CODE = {".git", ".venv", "data", ".pytest_cache", ".ruff_cache", ".hypothesis", "__pycache__"}
NOT_CODE_PATHS = {Path("tests/artifacts"), Path("benchmarks/work")}


def code_tree() -> dict[str, tuple[int, int]]:
    """Every path of the checkout that is code, with its modification time and size."""
    seen: dict[str, tuple[int, int]] = {}
    for root, dirs, files in os.walk(PROJECT_DIR):
        here = Path(root).relative_to(PROJECT_DIR)
        dirs[:] = [d for d in dirs if d not in NOT_CODE and here / d not in NOT_CODE_PATHS]
        for name in [*dirs, *files]:
            stat = (Path(root) / name).stat()
            seen[str(here / name)] = (stat.st_mtime_ns, stat.st_size)
    return seen


def test_a_whole_run_writes_only_under_the_data_directory(harness):
    harness.delivery(
        "101", "2026-01-08", {"children": ONE_CHILD, "measures": ONE_PLACEMENT, **EMPTY_CORE_FILES}
    )
    harness.population({("101", "2024K1"): 180})
    before = code_tree()

    summary = harness.run(cutoffs=["2023-12-31"])

    assert summary.ok, summary
    after = code_tree()
    assert {p for p in after if p not in before} == set()
    assert {p for p in before if after.get(p) != before[p]} == set()
    # dbt's build (one per run) left its folder, and its log, under the data directory.
    invocations = sorted((dbt_dir(harness.data_dir) / "invocations").iterdir())
    assert len(invocations) == 1
    assert all((folder / "dbt.log").is_file() for folder in invocations)


def test_only_the_newest_invocation_folders_are_kept(tmp_path):
    for age in range(12):
        folder = tmp_path / f"build-{age:02d}"
        folder.mkdir()
        os.utime(folder, ns=(age * 10**9, age * 10**9))
    prune_invocations(tmp_path, keep=KEEP_INVOCATIONS)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"build-{a:02d}" for a in range(7, 12)]


def test_the_definitions_load_without_dbt_on_path(tmp_path):
    """`make dev` from a fresh shell: PATH has no venv, and the code location must still load
    (it once ran the `dbt` found on PATH to prepare the manifest)."""
    completed = subprocess.run(
        [sys.executable, "-c", "import pipeline.definitions as d; print(len(d.defs.assets))"],
        cwd=PROJECT_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "NOEGLETAL_DATA_DIR": str(tmp_path / "data"),
            "DAGSTER_HOME": str(tmp_path / "dagster"),
            # What `dagster dev` sets, which made dagster-dbt prepare the project itself.
            "DAGSTER_IS_DEV_CLI": "1",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert int(completed.stdout.strip()) > 0
    assert (tmp_path / "data" / "dbt" / "manifest" / "manifest.json").is_file()
