"""The cut-off calendar (skæringsdatoer, SPEC §2): a dbt seed that Python reads too.

The seed is the single list of cut-off dates. Dagster's partitions are the dates up to today;
dbt takes "the previous cut-off" from the same seed, so a backfill of one date gives the same
rows as a full run (SPEC §11).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from pipeline.paths import SEEDS_DIR

CALENDAR_SEED = SEEDS_DIR / "reference" / "cutoff_calendar.csv"


def calendar_dates(path: Path = CALENDAR_SEED) -> list[dt.date]:
    with path.open(encoding="utf-8") as handle:
        return sorted(dt.date.fromisoformat(row["cutoff_date"]) for row in csv.DictReader(handle))


def cutoff_dates(until: dt.date | None = None, path: Path = CALENDAR_SEED) -> list[dt.date]:
    """The calendar's dates on or before `until` (default today): the ones that can be computed."""
    last = until or dt.date.today()
    return [d for d in calendar_dates(path) if d <= last]
