"""The workbooks and report pages of a publication, written on every core.

Nationally that is about 5,000 workbooks and 98 report pages, well over a minute in one
process when nothing can be carried over from the previous publication (carry_over.py; the
figures are in benchmarks/README.md). Both are pure Python and independent per
municipality, so the municipalities are split into shares written by a pool of processes.
Processes are spawned, not forked: the parent runs inside Dagster with threads of its own.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Collection
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.publish.carry_over import CarryOver
from pipeline.publish.excel import write_workbooks
from pipeline.publish.record import PublicationRecord
from pipeline.publish.report import write_pages, write_report_frame

# Shares per process: small enough that the processes finish close together.
SHARES_PER_PROCESS = 3


@dataclass(frozen=True)
class WrittenFiles:
    workbooks: int
    workbooks_carried_over: int  # taken from the previous publication (carry_over.py)
    pages: int
    pages_carried_over: int
    processes: int


def write_files(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    record: PublicationRecord,
    folder: Path,
    benchmarks: pd.DataFrame | None,
    previous: Path | None,
    processes: int | None = None,
    medians: pd.DataFrame | None = None,
    movement_pages: Collection[str] = (),
) -> WrittenFiles:
    """Workbooks into `folder`/excel and the report into `folder`/report; a file made from the
    same inputs as in the previous publication's folder `previous` is carried over from there.
    `medians`: the published peer_medians of the whole publication (report.PEER_MEDIAN_COLUMNS),
    each page drawing its own rows. `movement_pages`: the municipalities the index links a
    movement page for."""
    excel, report = folder / "excel", folder / "report"
    previous_excel = previous / "excel" if previous is not None else None
    previous_report = previous / "report" if previous is not None else None
    excel.mkdir(parents=True, exist_ok=True)
    write_report_frame(values, indicators, record, report, movement_pages)
    codes = sorted(values["municipality_code"].astype(str).unique())
    processes = min(processes or os.cpu_count() or 1, max(len(codes), 1))
    shares = [
        codes[i :: processes * SHARES_PER_PROCESS] for i in range(processes * SHARES_PER_PROCESS)
    ]
    shares = [share for share in shares if share]
    if processes == 1:
        books = write_workbooks(values, indicators, record, excel, previous_excel, save=False)
        pages = write_pages(
            values, medians, indicators, record, report, benchmarks, previous_report, save=False
        )
    else:
        books, pages = CarryOver(excel, previous_excel), CarryOver(report, previous_report)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            parts: list[tuple[CarryOver, Future[CarryOver]]] = []
            for share in shares:
                mine = values[values["municipality_code"].astype(str).isin(share)]
                theirs = (
                    None if medians is None else medians[medians["municipality_code"].isin(share)]
                )
                book_args = (mine, indicators, record, excel, previous_excel, False)
                page_args = (mine, theirs, indicators, record, report, benchmarks, previous_report)
                parts.append((books, pool.submit(write_workbooks, *book_args)))
                parts.append((pages, pool.submit(write_pages, *page_args, False)))
            for whole, done in parts:
                whole.merge(done.result())
    books.save()
    pages.save()
    return WrittenFiles(
        workbooks=len(books.fingerprints),
        workbooks_carried_over=books.carried,
        pages=len(pages.fingerprints),
        pages_carried_over=pages.carried,
        processes=processes,
    )
