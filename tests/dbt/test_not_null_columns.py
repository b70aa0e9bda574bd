"""The generic test `not_null_columns` (dbt_project/tests/generic): it fails with one row per
column that holds a NULL and the number of such rows, and passes when none does.

Run by dbt itself, on a throwaway project that holds only that test and three hand-made rows:
id never NULL; name NULL once; note NULL twice.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from pipeline.paths import DBT_PROJECT_DIR

GENERIC_TEST = DBT_PROJECT_DIR / "tests" / "generic" / "not_null_columns.sql"

PROJECT = """\
name: generic_tests
version: "1.0.0"
config-version: 2
profile: generic_tests
test-paths: ["tests"]
"""

PROFILES = """\
generic_tests:
  target: local
  outputs:
    local:
      type: duckdb
      path: {path}
"""

ROWS = """\
select * from (values (1, 'a', null), (2, null, null), (3, 'c', 'z')) as t (id, name, note)
"""

SCHEMA = """\
version: 2
models:
  - name: rows
    data_tests:
      - not_null_columns:
          name: all_three
          arguments:
            columns: [id, name, note]
      - not_null_columns:
          name: id_only
          arguments:
            columns: [id]
"""


def test_not_null_columns_names_each_column_with_nulls_and_how_many(tmp_path):
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "tests" / "generic").mkdir(parents=True)
    shutil.copy(GENERIC_TEST, project / "tests" / "generic")
    (project / "dbt_project.yml").write_text(PROJECT, encoding="utf-8")
    (project / "profiles.yml").write_text(
        PROFILES.format(path=tmp_path / "t.duckdb"), encoding="utf-8"
    )
    (project / "models" / "rows.sql").write_text(ROWS, encoding="utf-8")
    (project / "models" / "schema.yml").write_text(SCHEMA, encoding="utf-8")
    target = tmp_path / "target"

    dbt = Path(sys.executable).parent / "dbt"
    build = subprocess.run(
        [
            str(dbt),
            "build",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(target),
            "--log-path",
            str(tmp_path / "logs"),
            "--store-failures",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )

    assert build.returncode == 1, build.stdout[-2000:]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    outcome = {r["unique_id"].split(".")[2]: (r["status"], r["failures"]) for r in results}
    # name and note hold NULLs: two failing rows; id alone holds none.
    assert outcome["all_three"] == ("fail", 2)
    assert outcome["id_only"] == ("pass", 0)
    with duckdb.connect(str(tmp_path / "t.duckdb"), read_only=True) as conn:
        stored = conn.sql(
            "select column_name, null_rows from main_dbt_test__audit.all_three order by 1"
        ).fetchall()
    assert stored == [("name", 1), ("note", 2)]
