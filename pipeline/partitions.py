"""Dagster partitions: municipalities, cut-off dates, and the two together.

- `municipality` is dynamic: a municipality becomes a partition when its first delivery lands
  (the delivery sensor and `noegletal run` add it), so a one-municipality deployment does not
  show 97 empty partitions.
- `cutoff_date` is the cut-off calendar seed up to today.
- Indicator models are partitioned by both, so "recompute cut-off dates X..Y for municipalities
  A and B" is one backfill in the UI (a rectangle of the two dimensions).
"""

from __future__ import annotations

import datetime as dt

import dagster as dg

from pipeline.cutoffs import cutoff_dates

MUNICIPALITY = "municipality"
CUTOFF_DATE = "cutoff_date"

municipality_partitions = dg.DynamicPartitionsDefinition(name=MUNICIPALITY)


def cutoff_partitions(until: dt.date | None = None) -> dg.StaticPartitionsDefinition:
    return dg.StaticPartitionsDefinition([d.isoformat() for d in cutoff_dates(until)])


def indicator_partitions(until: dt.date | None = None) -> dg.MultiPartitionsDefinition:
    return dg.MultiPartitionsDefinition(
        {MUNICIPALITY: municipality_partitions, CUTOFF_DATE: cutoff_partitions(until)}
    )


def split_keys(keys: list[str]) -> tuple[list[str], list[str]]:
    """Multi-partition keys of a run -> (municipalities, cut-off dates), each sorted.

    A run of partitioned indicator assets always covers a rectangle (every municipality with
    every cut-off date of the run); that is what lets dbt take the two lists as vars.
    """
    municipalities: set[str] = set()
    cutoffs: set[str] = set()
    for key in keys:
        by_dimension = _by_dimension(key)
        municipalities.add(by_dimension[MUNICIPALITY])
        cutoffs.add(by_dimension[CUTOFF_DATE])
    if len(municipalities) * len(cutoffs) != len(set(keys)):
        raise ValueError(
            "the run's partitions are not every combination of its municipalities and cut-off "
            "dates; launch one backfill per rectangle"
        )
    return sorted(municipalities), sorted(cutoffs)


def multi_key(municipality: str, cutoff: str) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({MUNICIPALITY: municipality, CUTOFF_DATE: cutoff})


def _by_dimension(key: str) -> dict[str, str]:
    if isinstance(key, dg.MultiPartitionKey):
        return dict(key.keys_by_dimension)
    # Dagster serialises a multi key as its parts joined by "|", dimensions sorted by name.
    return dict(zip(sorted([MUNICIPALITY, CUTOFF_DATE]), key.split("|"), strict=True))


def contiguous_runs(order: list[str], chosen: set[str]) -> list[list[str]]:
    """Split the chosen keys into runs of neighbours in the partition order, so that each run
    is one partition range and covers nothing that was not chosen."""
    runs: list[list[str]] = []
    current: list[str] = []
    for key in order:
        if key in chosen:
            current.append(key)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def range_tags(start: str, end: str) -> dict[str, str]:
    """Run tags that make a run cover the partition range start..end (a rectangle when the
    keys are multi-partition keys)."""
    return {
        "dagster/asset_partition_range_start": start,
        "dagster/asset_partition_range_end": end,
    }


def rectangle_tags(municipalities: list[str], cutoffs: list[str]) -> dict[str, str]:
    """Range tags for every municipality of a contiguous run with every cut-off date of one."""
    return range_tags(
        str(multi_key(municipalities[0], cutoffs[0])),
        str(multi_key(municipalities[-1], cutoffs[-1])),
    )
