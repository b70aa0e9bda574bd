"""What a case system would have extracted on a delivery date (SPEC §8: a full snapshot).

A delivery shows every record that existed on its cut date (the earlier of the delivery
date and the end of the history), with what was known then: measures that had not ended
show an empty end date or, for some, their planned end (which may lie after the delivery
date: valid, SPEC §11); investigations not yet completed show no completion date.

The case system's history starts on 2016-01-01: records closed before that day were not
migrated into it, open ones were, with their original dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo import codes, dates, finance
from demo.world import World

HISTORY_START = dates.day("2016-01-01")
OLDEST_INVESTIGATION_KEPT_OPEN = dates.day("2015-01-01")
PLANNED_END_SHOWN = 0.35  # ongoing measures whose planned end is already registered


@dataclass(frozen=True)
class Snapshot:
    delivery_day: int
    cut: int
    children: pd.DataFrame
    measures: pd.DataFrame
    investigations: pd.DataFrame
    follow_ups: pd.DataFrame
    action_plans: pd.DataFrame
    caseworkers: pd.DataFrame
    expenses: pd.DataFrame
    inquiries: pd.DataFrame
    family_involvement: pd.DataFrame
    absence: pd.DataFrame
    completion: pd.DataFrame
    education: pd.DataFrame
    charges: pd.DataFrame
    conversations: pd.DataFrame
    wellbeing: pd.DataFrame
    housing: pd.DataFrame


def _shown(day: pd.Series, cut: int) -> np.ndarray:
    values = day.to_numpy()
    return np.where(values <= cut, values, dates.NO_DATE)


def take(world: World, delivery_day: int) -> Snapshot:
    cut = min(delivery_day, world.horizon)

    m = world.measures
    measures = m[(m["start"] <= cut) & (m["end"] >= HISTORY_START)].copy()
    measures["row"] = measures.index.to_numpy()
    ended = measures["end"].to_numpy() <= cut
    planned = measures["plan_u"].to_numpy() < PLANNED_END_SHOWN
    measures["end_shown"] = np.where(ended | planned, measures["end"].to_numpy(), dates.NO_DATE)
    measures["reason_shown"] = np.where(ended, measures["end_reason"].to_numpy(), codes.NO_REASON)

    inv = world.investigations
    completed = inv["completed"].to_numpy()
    keep = (inv["decision"] <= cut) & (
        (completed >= HISTORY_START)
        | ((completed == dates.NO_DATE) & (inv["decision"] >= OLDEST_INVESTIGATION_KEPT_OPEN))
    )
    investigations = inv[keep].copy()
    investigations["row"] = investigations.index.to_numpy()
    investigations["completed_shown"] = _shown(investigations["completed"], cut)

    persons = np.union1d(measures["person"].unique(), investigations["person"].unique())
    children = pd.DataFrame({"person": persons, "refugee": world.refugee[persons]})

    def of_children(
        frame: pd.DataFrame, day: str | None = None, since: int = HISTORY_START
    ) -> pd.DataFrame:
        out = frame[frame["person"].isin(persons)]
        if day is not None:
            out = out[(out[day] <= cut) & (out[day] >= since)]
        return out.copy()

    fups = world.follow_ups
    follow_ups = fups[
        (fups["day"] <= cut)
        & (fups["day"] >= HISTORY_START)
        & fups["measure_row"].isin(measures["row"])
    ].copy()
    follow_ups["row"] = follow_ups.index.to_numpy()

    plans = of_children(world.action_plans, "day", since=dates.day("2010-01-01"))
    plans = plans.sort_values(["day", "person"], kind="stable")
    plans["row"] = plans.index.to_numpy()
    plans["measure_row"] = np.where(
        plans["measure_row"].isin(measures["row"]), plans["measure_row"], -1
    )

    cw = of_children(world.caseworkers)
    cw = cw[(cw["from_day"] <= cut) & (cw["to_day"] >= HISTORY_START)].copy()
    cw["to_shown"] = _shown(cw["to_day"], cut)

    months = finance.months_until(cut)
    last_year, last_month = months[-1][0], months[-1][1]
    ex = world.expenses
    expenses = ex[(ex["year"] * 12 + ex["month"]) <= last_year * 12 + last_month].copy()

    inq = world.inquiries
    inquiries = inq[inq["day"] <= cut].copy()
    inquiries["row"] = inquiries.index.to_numpy()

    school_year_end = dates.from_parts(
        world.absence["school_year"].to_numpy() + 1,
        np.full(len(world.absence), 7),
        np.full(len(world.absence), 31),
    )
    absence = of_children(world.absence[school_year_end <= cut])
    completion_end = dates.from_parts(
        world.completion["school_year"].to_numpy() + 1,
        np.full(len(world.completion), 7),
        np.full(len(world.completion), 31),
    )
    completion = of_children(world.completion[completion_end <= cut])

    education = of_children(world.education, "start", since=dates.day("2012-01-01"))
    education["completed_shown"] = _shown(education["completed"], cut)

    stays = world.adults.stays
    housing = stays[(stays["start"] <= cut) & (stays["end"] >= HISTORY_START)].copy()
    housing["end_shown"] = _shown(housing["end"], cut)
    housing["destination_shown"] = np.where(housing["end_shown"] >= 0, housing["destination"], -1)

    return Snapshot(
        delivery_day=delivery_day,
        cut=cut,
        children=children,
        measures=measures,
        investigations=investigations,
        follow_ups=follow_ups,
        action_plans=plans,
        caseworkers=cw,
        expenses=expenses,
        inquiries=inquiries,
        family_involvement=of_children(
            world.family_involvement, "day", since=dates.day("2015-01-01")
        ),
        absence=absence,
        completion=completion,
        education=education,
        charges=of_children(world.charges, "day"),
        conversations=of_children(world.conversations, "day"),
        wellbeing=of_children(world.wellbeing, "day"),
        housing=housing,
    )
