"""The workbooks and report pages of a publication, written on every core.

Nationally that is about 5,000 workbooks (about 13 ms each) and 98 report pages
(about 0.3 s each): about a minute and a half in one process.
Both are pure Python and independent per municipality, so the municipalities are split into
shares written by a pool of processes. Processes are spawned, not forked: the parent runs
inside Dagster with threads of its own.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.publish.carry_over import CarryOver
from pipeline.publish.excel import write_workbooks
from pipeline.publish.record import PublicationRecord
from pipeline.publish.report import write_report, write_report_frame

# Shares per process: small enough that the processes finish close together.
SHARES_PER_PROCESS = 3


@dataclass(frozen=True)
class WrittenFiles:
    workbooks: int
    carried_over: int
    pages: int
    processes: int


def write_files(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    record: PublicationRecord,
    folder: Path,
    benchmarks: pd.DataFrame | None,
    previous_workbooks: Path | None,
    processes: int | None = None,
) -> WrittenFiles:
    """Workbooks into `folder`/excel and the report into `folder`/report."""
    excel, report = folder / "excel", folder / "report"
    excel.mkdir(parents=True, exist_ok=True)
    write_report_frame(values, record, report)
    codes = sorted(values["municipality_code"].astype(str).unique())
    processes = min(processes or os.cpu_count() or 1, max(len(codes), 1))
    shares = [
        codes[i :: processes * SHARES_PER_PROCESS] for i in range(processes * SHARES_PER_PROCESS)
    ]
    shares = [share for share in shares if share]
    if processes == 1:
        carry = write_workbooks(values, indicators, record, excel, previous_workbooks, save=False)
        pages = len(write_report(values, indicators, record, report, benchmarks, codes))
    else:
        carry = CarryOver(excel, previous_workbooks)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            books: list[Future[CarryOver]] = []
            pages_done: list[Future[list[Path]]] = []
            for share in shares:
                mine = values[values["municipality_code"].astype(str).isin(share)]
                books.append(
                    pool.submit(
                        write_workbooks, mine, indicators, record, excel, previous_workbooks, False
                    )
                )
                pages_done.append(
                    pool.submit(write_report, values, indicators, record, report, benchmarks, share)
                )
            for done in books:
                part = done.result()
                carry.fingerprints.update(part.fingerprints)
                carry.carried += part.carried
            pages = sum(len(done.result()) for done in pages_done)
    carry.save()
    return WrittenFiles(len(carry.fingerprints), carry.carried, pages, processes)
