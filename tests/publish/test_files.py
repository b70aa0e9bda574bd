"""The workbooks and report pages written by a pool of processes are the files one process
writes, the folders' fingerprints cover every workbook and page, and the pool starts only
when there are enough files to write."""

import json
import os

import pandas as pd

from pipeline.publish import files
from pipeline.publish.carry_over import FINGERPRINTS
from pipeline.publish.files import write_files
from tests.publish.test_templates import INDICATORS, _record, _values


def _three_municipalities() -> pd.DataFrame:
    one = _values(["2023-12-31", "2024-04-30"])
    return pd.concat(
        [
            one.assign(municipality_code=code, municipality_name=f"K{code}")
            for code in ("101", "147", "330")
        ]
    )


def _names(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_two_processes_write_what_one_process_writes(tmp_path):
    values = _three_municipalities()
    single = write_files(values, INDICATORS, _record(5), tmp_path / "one", None, None, processes=1)
    pooled = write_files(values, INDICATORS, _record(5), tmp_path / "two", None, None, processes=2)
    assert (single.workbooks, single.pages, single.processes) == (6, 3, 1)
    assert (pooled.workbooks, pooled.pages, pooled.processes) == (6, 3, 2)
    assert _names(tmp_path / "one") == _names(tmp_path / "two")
    assert "report/noegletal_147.html" in _names(tmp_path / "two")
    prints = json.loads((tmp_path / "two" / "excel" / FINGERPRINTS).read_text())
    assert sorted(prints) == [
        n.removeprefix("excel/") for n in _names(tmp_path / "two") if n.endswith(".xlsx")
    ]
    assert prints == json.loads((tmp_path / "one" / "excel" / FINGERPRINTS).read_text())
    pages = json.loads((tmp_path / "two" / "report" / FINGERPRINTS).read_text())
    assert sorted(pages) == ["noegletal_101.html", "noegletal_147.html", "noegletal_330.html"]
    assert pages == json.loads((tmp_path / "one" / "report" / FINGERPRINTS).read_text())

    # The next publication with the same rows carries every workbook and page over.
    again = write_files(values, INDICATORS, _record(5), tmp_path / "three", None, tmp_path / "two")
    assert (again.workbooks_carried_over, again.pages_carried_over) == (6, 3)


def test_a_pool_starts_only_for_enough_files_to_write(tmp_path, monkeypatch):
    values = _three_municipalities()
    # 6 workbooks and 3 pages (4 workbooks' worth each): 18, under the minimum of 200.
    few = write_files(values, INDICATORS, _record(5), tmp_path / "one", None, None)
    assert (few.workbooks, few.pages, few.processes) == (6, 3, 1)

    monkeypatch.setattr(files, "POOL_MINIMUM", 18)
    enough = write_files(values, INDICATORS, _record(5), tmp_path / "two", None, None)
    assert enough.processes == min(os.cpu_count() or 1, 18)
    assert _names(tmp_path / "one") == _names(tmp_path / "two")
