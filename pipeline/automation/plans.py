"""Which runs to launch: shared by `noegletal run`, the schedule and the sensors, so the command
line and the daemon split the same work into the same runs.

Ingestion runs cover municipalities (each delivery gets its own verdict); build runs cover a
range of accepted municipalities with the chosen cut-off dates (a run tag), one `dbt build`
each. A run must be a partition range, so municipalities that are not neighbours in the
partition order are split into several runs rather than widened to ones nobody chose. Which
deliveries were read, and their verdicts, come from the warehouse (pipeline/landing/ledger.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import dagster as dg

from pipeline.partitions import MUNICIPALITY, build_tags, contiguous_runs, range_tags


def register_municipalities(instance: dg.DagsterInstance, codes: Iterable[str]) -> list[str]:
    """Add municipalities seen for the first time to the dynamic partitions; returns them."""
    known = set(instance.get_dynamic_partitions(MUNICIPALITY))
    new = sorted(set(codes) - known)
    if new:
        instance.add_dynamic_partitions(MUNICIPALITY, new)
    return new


def ingest_run_tags(order: Sequence[str], municipalities: Iterable[str]) -> list[dict[str, str]]:
    """One ingestion run per contiguous group of municipalities (in partition order)."""
    return [range_tags(g[0], g[-1]) for g in contiguous_runs(list(order), set(municipalities))]


def build_run_tags(
    order: Sequence[str], municipalities: Iterable[str], cutoffs: Iterable[str] | None = None
) -> list[dict[str, str]]:
    """One build run per contiguous group of municipalities, each with the chosen cut-off dates
    (default: every cut-off date of the calendar up to today)."""
    chosen = None if cutoffs is None else list(cutoffs)
    return [build_tags(m, chosen) for m in contiguous_runs(list(order), set(municipalities))]
