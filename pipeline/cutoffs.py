"""The cut-off calendar (skæringsdatoer, SPEC §2): a dbt seed that Python reads too.

The seed is the single list of cut-off dates. A run may choose among the dates up to today
(`--cutoff`, the run tag `noegletal/cutoff_dates`); dbt takes "the previous cut-off" from the
same seed, so a backfill of one date gives the same rows as a full run (SPEC §11).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
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


def computable_cutoffs() -> list[str]:
    """The calendar's dates up to today, as ISO strings (how runs, tags and dbt name them)."""
    return [d.isoformat() for d in cutoff_dates()]


def chosen_cutoffs(chosen: Iterable[str]) -> list[str]:
    """The chosen dates in calendar order. A date that is not a computable cut-off date is an
    error naming it and the calendar."""
    calendar = computable_cutoffs()
    wanted = set(chosen)
    unknown = sorted(wanted - set(calendar))
    if unknown:
        raise ValueError(
            f"{', '.join(unknown)} is not a cut-off date of the calendar up to today "
            f"({calendar[0]} .. {calendar[-1]}); the calendar is "
            "dbt_project/seeds/reference/cutoff_calendar.csv"
        )
    return [d for d in calendar if d in wanted]
