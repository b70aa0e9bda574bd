"""The scope of a run: which municipalities, and which cut-off dates of the calendar.

The cut-off calendar (skæringsdatoer, SPEC §2) is a dbt seed that Python reads too: the seed
is the single list of cut-off dates. A run may choose among the dates up to today
(`--cutoff`, the run tag `noegletal/cutoff_dates`); dbt takes "the previous cut-off" from the
same seed, so a backfill of one date gives the same rows as a full run (SPEC §11).

Every run is one Dagster run of one job: an ingestion run reads the chosen municipalities'
newest deliveries; a build run is one `dbt build` over the chosen municipalities and cut-off
dates, then the publication. The scope is typed run configuration (`IngestScope`,
`BuildScope`), which the launchpad of the Dagster UI shows with its descriptions; the delivery
sensor, the build sensor, the nightly schedule and `noegletal run` launch the same jobs with
the same configuration (`ingest_run_config`, `build_run_config`). Empty lists mean "all".

Why not partitions:
- cut-off dates: Dagster stores one materialization event (and one planned event) per asset
  and partition, about 10 ms each (4 ms with pipeline/platform/event_log_storage.py); a national run
  (98 municipalities x 51 dates x 4 partitioned models) spent about seven minutes writing
  40,000 events around one minute of dbt (dagster-io/dagster#19829 and #31694);
- municipalities: a run must be one partition range, so municipalities that are not
  neighbours needed one run (and one `dbt build`) each, and dynamic partitions offered "Add a
  partition" for any text. A scope names any set of the 98 municipalities of the seed.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field

from pipeline.paths import SEEDS_DIR
from pipeline.sources.statbank.areas import MUNICIPALITY_CODES

# The op names of the assets that take the scope (pipeline/assets/landing.py, assets/dbt.py).
INGEST_OP = "deliveries"
BUILD_OP = "dbt_models"
SCOPE_TAG = "noegletal/scope"


CALENDAR_SEED = SEEDS_DIR / "reference" / "cutoff_calendar.csv"


# --- the cut-off calendar ---------------------------------------------------------------------


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


# --- the scope as run configuration -----------------------------------------------------------


class IngestScope(dg.Config):
    municipalities: list[str] = Field(
        default_factory=list,
        description="Municipality codes (kommunekoder, e.g. 101 København) whose newest "
        "delivery in the landing area is read. Empty: every municipality with a delivery.",
    )


class BuildScope(dg.Config):
    municipalities: list[str] = Field(
        default_factory=list,
        description="Municipality codes (kommunekoder, e.g. 101 København) to recompute from "
        "the landing tables. Empty: every municipality with an accepted delivery.",
    )
    cutoff_dates: list[str] = Field(
        default_factory=list,
        description="Cut-off dates (skæringsdatoer, YYYY-MM-DD) of the cut-off calendar "
        "(dbt_project/seeds/reference/cutoff_calendar.csv) to recompute. Empty: every "
        "cut-off date up to today.",
    )


def known_municipalities() -> tuple[str, ...]:
    """The 98 municipalities of the reference seed, in code order."""
    return tuple(sorted(MUNICIPALITY_CODES))


def checked_municipalities(codes: Iterable[str]) -> list[str]:
    """The codes, sorted; a code that is not one of the 98 municipalities is an error."""
    chosen = sorted(set(codes))
    unknown = [code for code in chosen if code not in known_municipalities()]
    if unknown:
        raise ValueError(
            f"{', '.join(unknown)} is not a municipality code of "
            "dbt_project/seeds/reference/municipalities.csv (three digits, e.g. 101 København)"
        )
    return chosen


def build_cutoffs(chosen: Sequence[str]) -> list[str]:
    """The cut-off dates of a build: the chosen ones in calendar order, or all up to today."""
    return chosen_cutoffs(chosen) if chosen else computable_cutoffs()


def build_scope(
    municipalities: Iterable[str] = (), cutoffs: Iterable[str] | None = None
) -> BuildScope:
    """The municipalities (all when empty) over the chosen cut-off dates (all up to today when
    None or every computable date); an unknown code or date is an error naming it."""
    dates = chosen_cutoffs(cutoffs) if cutoffs is not None else []
    if dates == computable_cutoffs():
        dates = []
    return BuildScope(municipalities=checked_municipalities(municipalities), cutoff_dates=dates)


def ingest_run_config(municipalities: Iterable[str]) -> dict[str, Any]:
    scope = IngestScope(municipalities=checked_municipalities(municipalities))
    return {"ops": {INGEST_OP: {"config": scope.model_dump()}}}


def build_run_config(scope: BuildScope) -> dict[str, Any]:
    return {"ops": {BUILD_OP: {"config": scope.model_dump()}}}


def scope_label(scope: BuildScope) -> str:
    """How the runs list and the asset's metadata tell a partial build from a full one."""
    if not scope.municipalities and not scope.cutoff_dates:
        return "full"
    places = len(scope.municipalities) or "all"
    dates = len(scope.cutoff_dates) or "all"
    return f"partial: {places} municipalities x {dates} cut-off dates"


def dbt_scope_environment(scope: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """The scope as dbt reads it (macros/run_scope.sql; empty = all). Not --vars: dbt parses
    the whole project again whenever --vars change (about 3.5 s), while a changed environment
    variable re-parses only the files that read it."""
    scope = scope or {}
    return {
        "NOEGLETAL_DBT_MUNICIPALITIES": ",".join(scope.get("municipalities", [])),
        "NOEGLETAL_DBT_CUTOFF_DATES": ",".join(scope.get("cutoff_dates", [])),
    }
