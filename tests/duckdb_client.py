"""A DuckDB 1.x client in an environment of its own, to open the published serving file the way
a BI tool with an older DuckDB driver does (README, "Opening it").

The project pins DuckDB 2.0, so the old client cannot live in the project's venv: it gets a
venv of its own, made once and kept outside the code checkout (NOEGLETAL_DUCKDB_CLIENT_VENV,
which .ci/run sets, or a folder in the system's temporary directory). It is built in a
temporary folder and renamed into place, so two test sessions never see half a venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The oldest release the README promises; serving.SERVING_STORAGE_VERSION is its format.
OLD_DUCKDB_VERSION = "1.1.3"

# Run by the old client: every table of the file with its columns, comments and a digest of
# its rows, as JSON on stdout (counts and digests only: no row is printed).
DESCRIBE = r"""
import hashlib, json, sys
import duckdb
conn = duckdb.connect(sys.argv[1], read_only=True)
out = {"version": duckdb.__version__, "tables": {}}
tables = conn.execute(
    "select table_name, comment from duckdb_tables() where schema_name = 'main' order by 1"
).fetchall()
for name, comment in tables:
    columns = conn.execute(
        "select column_name, data_type, comment from duckdb_columns() "
        "where schema_name = 'main' and table_name = ? order by column_index", [name]
    ).fetchall()
    # A time with time zone as microseconds: DuckDB 1.1 needs pytz to hand it to Python.
    selected = ", ".join(
        f'epoch_us("{c}")' if kind.startswith("TIMESTAMP WITH TIME ZONE") else f'"{c}"'
        for c, kind, _ in columns
    )
    rows = conn.execute(f'select {selected} from main."{name}" order by all').fetchall()
    out["tables"][name] = {
        "comment": comment,
        "columns": [list(c) for c in columns],
        "rows": len(rows),
        "digest": hashlib.sha256(repr(rows).encode()).hexdigest(),
    }
print(json.dumps(out))
"""


def _venv_folder() -> Path:
    configured = os.environ.get("NOEGLETAL_DUCKDB_CLIENT_VENV")
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"noegletal-duckdb-{OLD_DUCKDB_VERSION}"


def _has_client(folder: Path) -> bool:
    python = folder / "bin" / "python"
    if not python.exists():
        return False
    found = subprocess.run(
        [str(python), "-c", "import duckdb; print(duckdb.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() == OLD_DUCKDB_VERSION


def old_duckdb_python() -> Path:
    """The python of a venv with duckdb==OLD_DUCKDB_VERSION, made when missing. Skips the test
    when it cannot be made (no package index), unless NOEGLETAL_REQUIRE_DUCKDB_CLIENT is set
    (.ci/run sets it): then the test fails."""
    folder = _venv_folder()
    if not _has_client(folder):
        folder.parent.mkdir(parents=True, exist_ok=True)
        pin = f"duckdb=={OLD_DUCKDB_VERSION}"
        building = Path(tempfile.mkdtemp(prefix=folder.name + ".building-", dir=folder.parent))
        try:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(building)], check=True)
            installed = subprocess.run(
                [str(building / "bin" / "python"), "-m", "pip", "install", "--quiet", pin],
                capture_output=True,
                text=True,
                check=False,
            )
            if installed.returncode != 0:
                message = f"cannot install {pin}: {installed.stderr[-500:]}"
                if os.environ.get("NOEGLETAL_REQUIRE_DUCKDB_CLIENT"):
                    pytest.fail(message)
                pytest.skip(message)
            # Only bin/python is called, a symlink that stays valid after the rename (the
            # scripts' shebangs name the build folder, but none of them is used).
            if folder.exists():
                shutil.rmtree(folder)
            building.rename(folder)
        finally:
            if building.exists():
                shutil.rmtree(building)
    return folder / "bin" / "python"


def describe_with_old_client(serving_file: Path) -> dict[str, object]:
    """What DuckDB OLD_DUCKDB_VERSION reads in `serving_file` (DESCRIBE's JSON)."""
    completed = subprocess.run(
        [str(old_duckdb_python()), "-c", DESCRIBE, str(serving_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout)
