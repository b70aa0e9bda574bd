"""Checking batches of deliveries on every core, handed back in order.

Reading, typing, pseudonymising and validating a batch is pure Python and pandas, independent
of the other batches, and most of a national ingestion; storing a batch needs the one
warehouse connection. So the batches are checked by a pool of processes while this process
stores the ones already checked. At most one batch per process is in flight, so no more than
that many checked batches are held in memory at once.

Processes are spawned, not forked: the caller runs inside Dagster with threads of its own.
CPR numbers and the pseudonym key reach the workers through a pipe, in memory; nothing is
written anywhere by them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from pipeline.landing.check_delivery import DeliveryOutcome, check_deliveries
from pipeline.sources.extracts.deliveries import Delivery


def checked_batches(
    batches: Sequence[list[Delivery]],
    key: bytes,
    quarantine_threshold: float,
    processes: int | None = None,
) -> Iterator[list[DeliveryOutcome]]:
    """The outcomes of each batch (check_deliveries), in the order of `batches`. One batch is
    checked in this process: starting a worker costs more than it saves."""
    processes = min(processes or os.cpu_count() or 1, len(batches))
    if processes <= 1:
        for batch in batches:
            yield check_deliveries(batch, key, quarantine_threshold)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:

        def submit(batch: list[Delivery]) -> Future[list[DeliveryOutcome]]:
            return pool.submit(check_deliveries, batch, key, quarantine_threshold)

        waiting = deque(submit(batch) for batch in batches[:processes])
        for batch in batches[processes:]:
            outcomes = waiting.popleft().result()
            # The next batch starts before this one is stored, keeping every process busy.
            waiting.append(submit(batch))
            yield outcomes
        while waiting:
            yield waiting.popleft().result()
