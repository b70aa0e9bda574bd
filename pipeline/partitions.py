"""Dagster partitions: municipalities, and the cut-off dates a run covers.

- `municipality` is dynamic: a municipality becomes a partition when its first delivery lands
  (the delivery sensor and `noegletal run` add it), so a one-municipality deployment does not
  show 97 empty partitions. The landing assets and the indicator models are partitioned by it.
- The cut-off dates of a build run are the run tag `noegletal/cutoff_dates` (a comma-separated
  list of dates of the cut-off calendar; no tag = every cut-off date up to today). So
  "recompute cut-off dates X..Y for municipalities A and B" is one run: partitions A and B,
  with the tag.

Why the cut-off date is not a partition dimension: Dagster stores one materialization event
(and one planned event) per asset and partition, about 10 ms each on its own SQLite storage
(4 ms with pipeline/event_log_storage.py). With
municipality x cut-off date partitions, a national run (98 x 51 partitions, 4 partitioned
models) spent about seven minutes writing 40,000 events around one minute of dbt. Per
municipality it is 392 events (dagster-io/dagster#19829 and #31694 are the upstream issues).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import dagster as dg

from pipeline.cutoffs import chosen_cutoffs, computable_cutoffs

MUNICIPALITY = "municipality"
CUTOFF_DATES_TAG = "noegletal/cutoff_dates"

municipality_partitions = dg.DynamicPartitionsDefinition(name=MUNICIPALITY)


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
    """Run tags that make a run cover the partition range start..end."""
    return {
        "dagster/asset_partition_range_start": start,
        "dagster/asset_partition_range_end": end,
    }


def cutoff_tags(cutoffs: Iterable[str] | None) -> dict[str, str]:
    """The run tag naming the cut-off dates of a build run; none when it covers them all."""
    if cutoffs is None:
        return {}
    chosen = chosen_cutoffs(cutoffs)
    if not chosen:
        raise ValueError("a build run needs at least one cut-off date")
    if chosen == computable_cutoffs():
        return {}
    return {CUTOFF_DATES_TAG: ",".join(chosen)}


def run_cutoffs(tags: Mapping[str, str]) -> list[str]:
    """The cut-off dates of a build run from its tags (every date up to today without the tag).
    A date outside the calendar stops the run before dbt starts, naming the calendar."""
    raw = tags.get(CUTOFF_DATES_TAG, "").strip()
    if not raw:
        return computable_cutoffs()
    try:
        return chosen_cutoffs(d.strip() for d in raw.split(",") if d.strip())
    except ValueError as exc:
        raise ValueError(f"tag {CUTOFF_DATES_TAG}: {exc}") from None


def build_tags(municipalities: Sequence[str], cutoffs: Iterable[str] | None) -> dict[str, str]:
    """Tags of a build run for a contiguous run of municipalities and the chosen dates."""
    return {**range_tags(municipalities[0], municipalities[-1]), **cutoff_tags(cutoffs)}
