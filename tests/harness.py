"""Run the real pipeline (the same Dagster jobs as `noegletal run`) on files a test writes."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.dbt.project import DBT_EXECUTABLE, dbt_output_environment, new_invocation_dir
from pipeline.paths import DBT_PROJECT_DIR
from pipeline.run import RunSummary, run_pipeline
from pipeline.settings import Settings
from pipeline.sources.statbank.snapshots import write_synthetic_snapshot

# One child in one placement, and the other core files empty: the smallest whole delivery.
ONE_CHILD = "cpr;unaccompanied_refugee\n010115-4001;0\n"
ONE_PLACEMENT = """measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;\
disability;authority_granted;provider
1;010115-4001;SEL § 52, stk. 3, nr. 7;plejefamilie;2020-01-01;;;0;1;EXTERNAL
"""
EMPTY_CORE_FILES = {
    "investigations": "investigation_id;cpr;legal_reference;decision_date;completed_date\n",
    "follow_ups": "follow_up_id;measure_id;completed_date\n",
}


@dataclass
class PipelineHarness:
    landing: Path
    data_dir: Path

    @classmethod
    def create(cls, root: Path, monkeypatch: pytest.MonkeyPatch) -> PipelineHarness:
        landing, data_dir = root / "landing", root / "data"
        landing.mkdir(parents=True)
        monkeypatch.setenv("NOEGLETAL_ENV", "demo")
        monkeypatch.delenv("NOEGLETAL_PSEUDONYM_KEY", raising=False)
        monkeypatch.setenv("NOEGLETAL_LANDING", str(landing))
        monkeypatch.setenv("NOEGLETAL_DATA_DIR", str(data_dir))
        monkeypatch.setenv("DAGSTER_HOME", str(data_dir / "dagster"))
        return cls(landing, data_dir)

    def delivery(self, municipality: str, delivery_date: str, files: dict[str, str]) -> Path:
        """Write a delivery folder; `files` maps a file name (without .csv) to its text."""
        folder = self.landing / municipality / delivery_date
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
        (folder / "_SUCCESS").touch()
        return folder

    def population(self, persons_0_17: dict[tuple[str, str], int]) -> None:
        """A synthetic FOLK1A snapshot: {(municipality, '2024K1'): 0-17 total}. The total is
        spread over the ages 0-17 (the remainder on age 0), so the sum is exact."""
        lines = ["OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD"]
        for (municipality, quarter), total in sorted(persons_0_17.items()):
            share, rest = divmod(total, 18)
            for age in range(18):
                lines.append(
                    f"{municipality};TOT;{age};TOT;{quarter};{share + (rest if age == 0 else 0)}"
                )
        body = ("\n".join(lines) + "\n").encode("utf-8")
        statbank = self.landing / "statbank"
        write_synthetic_snapshot("FOLK1A", statbank, body)
        empty = {
            "ANBAAR12": "ADMKOM;ANBRINGELSE;TID;INDHOLD\n",
            "ANBAAR9": "ADMKOM;ALERAMS;TID;INDHOLD\n",
            "BU43": "OMRÅDE;FORANSTALT;ALDER;TID;INDHOLD\n",
        }
        for table, text in empty.items():
            if not (statbank / f"{table}.csv").exists():
                write_synthetic_snapshot(table, statbank, text.encode("utf-8"))

    def run(
        self, municipalities: list[str] | None = None, cutoffs: list[str] | None = None
    ) -> RunSummary:
        settings = Settings.from_env()
        # dbt's output would flood the test log; the summary carries what a test checks.
        with contextlib.redirect_stdout(io.StringIO()):
            return run_pipeline(settings, municipalities, cutoffs, out=lambda _line: None)

    def query(self, sql: str, params: list[object] | None = None) -> pd.DataFrame:
        path = Settings.from_env().warehouse_path
        with duckdb.connect(str(path), read_only=True) as conn:
            return conn.execute(sql, params or []).df()


def run_dbt(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The venv's dbt in the project folder, on the warehouse of the current settings, with
    `env` added to the environment; output captured for the assertion message. Like the
    pipeline's builds, it writes only under the data directory."""
    settings = Settings.from_env()
    completed = subprocess.run(
        [str(DBT_EXECUTABLE), *args],
        cwd=DBT_PROJECT_DIR,
        env={
            **os.environ,
            "NOEGLETAL_WAREHOUSE_PATH": str(settings.warehouse_path),
            **dbt_output_environment(new_invocation_dir(settings.data_dir, "test")),
            **(env or {}),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-5000:]
    return completed
