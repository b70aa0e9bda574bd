"""The workbooks and report pages of a publication, written on every core.

Nationally that is about 5,000 workbooks and 98 report pages, well over a minute in one
process when nothing can be carried over from the previous publication (carry_over.py; the
figures are in benchmarks/README.md). One process decides what is carried over (fingerprints
are cheap); the files left to write are pure Python and independent of each other, so they are
shared out to a pool of processes when there are enough of them to pay for starting it.
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

from pipeline.publish.excel import plan_workbooks, write_workbook_jobs
from pipeline.publish.record import PublicationRecord
from pipeline.publish.report import plan_pages, write_page_jobs, write_report_frame

# Shares per process: small enough that the processes finish close together.
SHARES_PER_PROCESS = 3
# Fewer files to write than this, and one process writes them: spawning the pool and sending
# it the rows costs about 2 s, as much as writing some 150 workbooks (benchmarks/README.md,
# item 30). A nightly run writes about 50.
POOL_MINIMUM = 200
# Drawing a report page costs about as much as writing this many workbooks.
PAGE_WEIGHT = 4


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
    write_report_frame(values, indicators, record, report, movement_pages)
    books = plan_workbooks(values, indicators, record, excel, previous_excel)
    pages = plan_pages(values, medians, indicators, record, report, benchmarks, previous_report)
    work = len(books.jobs) + PAGE_WEIGHT * len(pages.jobs)
    if processes is None:
        processes = (os.cpu_count() or 1) if work >= POOL_MINIMUM else 1
    processes = max(1, min(processes, work))
    if processes == 1:
        write_workbook_jobs(excel, books.jobs, books.definitions, record)
        write_page_jobs(report, pages.jobs, pages.catalogue, record)
    else:
        shares = processes * SHARES_PER_PROCESS
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            done: list[Future[None]] = []
            for i in range(shares):
                if jobs := books.jobs[i::shares]:
                    done.append(
                        pool.submit(write_workbook_jobs, excel, jobs, books.definitions, record)
                    )
                if jobs := pages.jobs[i::shares]:
                    done.append(pool.submit(write_page_jobs, report, jobs, pages.catalogue, record))
            for future in done:
                future.result()
    books.files.save()
    pages.files.save()
    return WrittenFiles(
        workbooks=len(books.files.fingerprints),
        workbooks_carried_over=books.files.carried,
        pages=len(pages.files.fingerprints),
        pages_carried_over=pages.files.carried,
        processes=processes,
    )
