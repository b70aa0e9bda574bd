"""The generic suppression macro that makes publishing another mart one line of dbt SQL."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.paths import DBT_PROJECT_DIR

ROWS = "(select * from (values (3, 10, 30.0), (7, 10, 70.0), (8, 10, 80.0), (0, 10, 0.0), (12, 40, 30.0)) t(numerator, denominator, actual_value))"  # noqa: E501
SQL = (
    '{{ suppress_small_counts("' + ROWS + "\", counts=['numerator', 'denominator'], "
    "derived=['actual_value'], complements=[['numerator', 'denominator']]) }}"
)


@pytest.mark.slow
def test_small_counts_and_small_complements_are_hidden_with_what_derives_from_them(tmp_path):
    dbt = Path(sys.executable).parent / "dbt"
    completed = subprocess.run(
        [str(dbt), "show", "--inline", SQL, "--output", "json", "--log-format", "json",
         "--target-path", str(tmp_path / "target")],
        cwd=DBT_PROJECT_DIR,
        env={"NOEGLETAL_WAREHOUSE_PATH": str(tmp_path / "w.duckdb"), "PATH": "/usr/bin:/bin",
             "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "HOME": str(tmp_path),
             "NOEGLETAL_SUPPRESSION_THRESHOLD": "5", "DBT_LOG_PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    preview = next(
        json.loads(line)["data"]["preview"]
        for line in completed.stdout.splitlines()
        if line.startswith("{") and "preview" in json.loads(line).get("data", {})
    )
    rows = json.loads(preview)
    assert [r["suppressed"] for r in rows] == [True, True, True, False, False]
    assert rows[0] == {
        "numerator": None, "denominator": None, "actual_value": None, "suppressed": True
    }  # fmt: skip
    assert rows[3]["numerator"] == 0  # a zero is published
    assert rows[4]["actual_value"] == 30.0
