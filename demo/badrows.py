"""Deliberately bad rows, one or a few of every quarantine kind (SPEC §8, §11).

They are extra rows (fresh ids, existing children) rather than damaged real ones, so that
quarantining them removes nothing else: no follow-up or plan points at a bad measure, and
the rest of the delivery stays exactly as simulated. Each is bad for one reason only. They
go into the newest delivery of each municipal-demo municipality, at random positions, and
every one is reported (file, line, kind, column, value) so tests can hold the pipeline's
quarantine to exactly this list.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo import codes, dates, legal
from demo.dialects import FileDialect
from demo.render import Renderer, Table
from demo.snapshot import Snapshot

UNKNOWN_PLACEMENT_LABEL = "fritidshjem"  # an after-school club: not a placement type
UNREADABLE_BOOLEAN = "måske"


@dataclass(frozen=True)
class Plan:
    """One planted row: its kind, the column that is wrong, and the text to write there
    (None when the typed values already make it wrong)."""

    kind: str
    column: str
    text: str | None = None


@dataclass(frozen=True)
class Planted:
    file: str
    line: int
    kind: str
    column: str
    value: str


def bad_date(d: FileDialect) -> str:
    """30 February in the file's own date format: looks like a date, parses as none."""
    return d.date_format.replace("%Y", "2021").replace("%m", "02").replace("%d", "30")


def _pick(frame: pd.DataFrame, mask: np.ndarray, rng: np.random.Generator, k: int) -> pd.DataFrame:
    candidates = np.flatnonzero(mask)
    if candidates.size == 0:
        candidates = np.arange(len(frame))
    chosen = rng.choice(candidates, size=k, replace=candidates.size < k)
    return frame.iloc[chosen].copy().reset_index(drop=True)


def _measures(
    s: Snapshot, rng: np.random.Generator, first_free_row: int, refugee: np.ndarray
) -> tuple[pd.DataFrame, list[Plan]]:
    m = s.measures
    ok = (
        (m["category"].to_numpy() == codes.HOME_BASED)
        & (m["start"].to_numpy() >= dates.day("2019-01-01"))
        & (m["start"].to_numpy() < dates.day("2023-07-01"))
        & (m["end_shown"].to_numpy() >= 0)
        & (m["end_shown"].to_numpy() <= s.cut)
        & ~refugee[m["person"].to_numpy()]
    )
    plans = [
        Plan("malformed_cpr", "cpr", "12345-678"),
        Plan("impossible_cpr_date", "cpr", "300212-4002"),
        Plan("unparseable_date", "start_date"),
        Plan("end_before_start", "end_date"),
        Plan("date_after_delivery", "start_date"),
        Plan("unmapped_legal_reference", "legal_reference", "§ 52"),
        Plan("unmapped_legal_reference", "legal_reference", "SEL § 11"),
        Plan("unmapped_legal_reference", "legal_reference", "SEL § 999, stk. 1"),
        Plan("placement_without_type", "placement_type", ""),
        Plan("unknown_placement_label", "placement_type", UNKNOWN_PLACEMENT_LABEL),
        Plan("duplicate_id", "measure_id"),
        Plan("duplicate_id", "measure_id"),
        Plan("unreadable_boolean", "disability", UNREADABLE_BOOLEAN),
        Plan("unknown_enum_value", "end_reason", "FLYTTET"),
    ]
    rows = _pick(m, ok, rng, len(plans))
    rows["row"] = first_free_row + np.arange(len(plans))
    for i, plan in enumerate(plans):
        if plan.kind == "unparseable_date":
            # Typed dates around the unparseable one, so the row breaks no other rule.
            rows.loc[i, ["start", "end_shown"]] = [dates.day("2021-03-01"), dates.day("2021-09-30")]
        elif plan.kind == "end_before_start":
            rows.loc[i, "end_shown"] = rows.loc[i, "start"] - 31
        elif plan.kind == "date_after_delivery":
            rows.loc[i, ["start", "end_shown", "reason_shown"]] = [s.delivery_day + 41, -1, -1]
        elif plan.kind in ("placement_without_type", "unknown_placement_label"):
            rows.loc[i, ["category", "ref_key", "ptype", "label", "nr"]] = [
                codes.PLACEMENT,
                legal.PLACEMENT_CONSENT_KEY,
                codes.RESIDENTIAL_INSTITUTION,
                0,
                7,
            ]
    duplicates = [i for i, plan in enumerate(plans) if plan.kind == "duplicate_id"]
    rows.loc[duplicates, "row"] = rows.loc[duplicates[0], "row"]
    return rows, plans


def _investigations(
    s: Snapshot, rng: np.random.Generator, first_free_row: int, variant: int
) -> tuple[pd.DataFrame, list[Plan]]:
    inv = s.investigations
    ok = (
        (inv["decision"].to_numpy() >= dates.day("2019-01-01"))
        & (inv["decision"].to_numpy() < dates.day("2023-07-01"))
        & (inv["completed_shown"].to_numpy() >= 0)
    )
    plans = [
        Plan("completed_before_decision", "completed_date"),
        Plan("not_an_investigation", "legal_reference"),
        Plan("date_after_delivery", "decision_date"),
    ]
    plans += (
        [Plan("duplicate_id", "investigation_id"), Plan("duplicate_id", "investigation_id")],
        [Plan("unparseable_date", "decision_date")],
        [Plan("malformed_cpr", "cpr", "98765432")],
    )[variant % 3]
    rows = _pick(inv, ok, rng, len(plans))
    rows["row"] = first_free_row + np.arange(len(plans))
    rows["ref_key"] = legal.INVESTIGATION_KEY
    for i, plan in enumerate(plans):
        if plan.kind == "unparseable_date":
            rows.loc[i, ["decision", "completed_shown"]] = [
                dates.day("2021-03-02"),
                dates.day("2021-05-11"),
            ]
        elif plan.kind == "completed_before_decision":
            rows.loc[i, "completed_shown"] = rows.loc[i, "decision"] - 20
        elif plan.kind == "not_an_investigation":
            rows.loc[i, "ref_key"] = legal.HOME_BASED_KEY[3]
        elif plan.kind == "date_after_delivery":
            rows.loc[i, ["decision", "completed_shown"]] = [s.delivery_day + 25, -1]
    duplicates = [i for i, plan in enumerate(plans) if plan.kind == "duplicate_id"]
    if duplicates:
        rows.loc[duplicates, "row"] = rows.loc[duplicates[0], "row"]
    return rows, plans


def _follow_ups(
    s: Snapshot, rng: np.random.Generator, first_free_row: int, missing_measure_row: int
) -> tuple[pd.DataFrame, list[Plan]]:
    plans = [
        Plan("unknown_measure_id", "measure_id"),
        Plan("date_after_delivery", "completed_date"),
        Plan("unparseable_date", "completed_date"),
    ]
    rows = _pick(s.follow_ups, np.ones(len(s.follow_ups), bool), rng, len(plans))
    rows["row"] = first_free_row + np.arange(len(plans))
    rows.loc[0, "measure_row"] = missing_measure_row
    rows.loc[1, "day"] = s.delivery_day + 60
    return rows, plans


def _children(s: Snapshot, fresh_person: int) -> tuple[pd.DataFrame, list[Plan]]:
    plans = [
        Plan("malformed_cpr", "cpr", "12345678901"),
        Plan("impossible_cpr_date", "cpr", "310299-0001"),
        Plan("unreadable_boolean", "unaccompanied_refugee", UNREADABLE_BOOLEAN),
    ]
    rows = pd.DataFrame({"person": [fresh_person] * len(plans), "refugee": [False] * len(plans)})
    return rows, plans


def _optional(
    s: Snapshot, rng: np.random.Generator, variant: int
) -> tuple[str, pd.DataFrame, list[Plan]]:
    """One bad row in an optional file, a different file per municipality."""
    if variant % 3 == 0:
        rows = _pick(s.caseworkers, np.ones(len(s.caseworkers), bool), rng, 1)
        return "caseworker_assignments", rows, [Plan("unknown_enum_value", "role", "vikar")]
    if variant % 3 == 1:
        rows = _pick(s.charges, np.ones(len(s.charges), bool), rng, 1)
        rows.loc[0, "day"] = s.delivery_day + 33
        return "charges", rows, [Plan("date_after_delivery", "charge_date")]
    rows = _pick(s.absence, np.ones(len(s.absence), bool), rng, 1)
    rows.loc[0, "school_year"] = 2014  # a year the file has no other row of this child for
    return (
        "school_absence",
        rows,
        [Plan("unreadable_boolean", "municipal_school", UNREADABLE_BOOLEAN)],
    )


_SNAPSHOT_FIELD = {
    "children": "children",
    "measures": "measures",
    "investigations": "investigations",
    "follow_ups": "follow_ups",
    "caseworker_assignments": "caseworkers",
    "charges": "charges",
    "school_absence": "absence",
}


def plant(
    tables: dict[str, Table],
    s: Snapshot,
    renderer: Renderer,
    dialects: dict[str, FileDialect],
    rng: np.random.Generator,
    *,
    variant: int,
    n_world_measures: int,
    n_world_investigations: int,
    n_world_follow_ups: int,
    fresh_person: int,
    refugee: np.ndarray,
) -> list[Planted]:
    """Insert the bad rows into the rendered tables (in place) and report where they went."""
    batches: list[tuple[str, pd.DataFrame, list[Plan]]] = [
        ("children", *_children(s, fresh_person)),
        ("measures", *_measures(s, rng, n_world_measures + 1_000, refugee)),
        ("investigations", *_investigations(s, rng, n_world_investigations + 1_000, variant)),
        ("follow_ups", *_follow_ups(s, rng, n_world_follow_ups + 1_000, n_world_measures + 5_000)),
        _optional(s, rng, variant),
    ]
    planted: list[Planted] = []
    for file, rows, plans in batches:
        d = dialects[file]
        fake = dataclasses.replace(s, **{_SNAPSHOT_FIELD[file]: rows})
        bad = renderer.render(file, fake, d)
        for i, plan in enumerate(plans):
            column = bad.column(plan.column)
            if plan.text is not None:
                column[i] = plan.text
            elif plan.kind == "unparseable_date":
                column[i] = bad_date(d)
        lines = _insert(tables[file], bad, rng)
        planted += [
            Planted(f"{file}.csv", line, plan.kind, plan.column, str(bad.column(plan.column)[i]))
            for i, (line, plan) in enumerate(zip(lines, plans, strict=True))
        ]
    return planted


def _insert(table: Table, bad: Table, rng: np.random.Generator) -> list[int]:
    """Put the bad rows at random places in the table; return their line numbers."""
    n, k = len(table), len(bad)
    slots = np.sort(rng.choice(n + k, size=k, replace=False))
    is_bad = np.zeros(n + k, dtype=bool)
    is_bad[slots] = True
    for j in range(len(table.columns)):
        merged = np.empty(n + k, dtype=object)
        merged[~is_bad] = table.columns[j]
        merged[slots] = bad.columns[j]
        table.columns[j] = merged
    # The header is line 1, so the row at position p is on line p + 2.
    return [int(p) + 2 for p in slots]
