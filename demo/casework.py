"""Casework around the measures: follow-ups, action plans, caseworkers, family involvement,
child conversations and wellbeing assessments.

All of them hang off the measures table of world.py (columns person, category, start, end,
group, main) and are returned as DataFrames keyed by row numbers of that table or persons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import codes, dates
from demo.sampling import categorical, repeat_ranges, uniform_days

FOLLOWED_UP = (codes.HOME_BASED, codes.PLACEMENT, codes.PARENT_DIRECTED, codes.ORDER)
NO_FOLLOW_UPS = 0.08  # measures whose follow-ups were never registered
FIRST_WITHIN_3_MONTHS = 0.75


def follow_ups(rng: np.random.Generator, measures: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """One row per completed follow-up: the first after ~3 months, then about every 6."""
    eligible = np.flatnonzero(measures["category"].isin(FOLLOWED_UP).to_numpy())
    start = measures["start"].to_numpy()[eligible]
    end = np.minimum(measures["end"].to_numpy()[eligible], horizon)
    k = eligible.size
    first = np.where(
        rng.random(k) < FIRST_WITHIN_3_MONTHS,
        uniform_days(rng, 45, 90, k),
        uniform_days(rng, 91, 200, k),
    )
    interval = uniform_days(rng, 150, 200, k)
    f1 = start + first
    count = np.where((f1 <= end) & (rng.random(k) >= NO_FOLLOW_UPS), 1 + (end - f1) // interval, 0)
    owner, position = repeat_ranges(np.minimum(count, 80))
    day = f1[owner] + position * interval[owner] + uniform_days(rng, -10, 10, owner.size)
    day = np.clip(day, start[owner], end[owner])
    return pd.DataFrame({"measure_row": eligible[owner], "day": day})


def child_conversations(
    rng: np.random.Generator, measures: pd.DataFrame, fups: pd.DataFrame, birth: np.ndarray
) -> pd.DataFrame:
    """Conversations with the child, often held at a follow-up (children aged 7+)."""
    category = measures["category"].to_numpy()[fups["measure_row"].to_numpy()]
    person = measures["person"].to_numpy()[fups["measure_row"].to_numpy()]
    day = fups["day"].to_numpy()
    age = dates.age_on(birth[person], day)
    pick = np.isin(category, (codes.HOME_BASED, codes.PLACEMENT)) & (age >= 7)
    pick &= rng.random(pick.size) < 0.5
    goals = categorical(rng, (0.60, 0.28, 0.12), int(pick.sum()))
    out = pd.DataFrame({"person": person[pick], "day": day[pick], "goals": goals})
    return out.drop_duplicates(["person", "day"]).reset_index(drop=True)


def _groups(measures: pd.DataFrame) -> pd.DataFrame:
    """Placement careers and home-based spells: person, first measure row, start, end."""
    grouped = measures[measures["group"] >= 0]
    main = grouped[grouped["main"]].sort_values(["group", "start"]).drop_duplicates("group")
    span = grouped.groupby("group").agg(start=("start", "min"), end=("end", "max"))
    out = main[["group", "person", "category"]].copy()
    out["measure_row"] = main.index.to_numpy()
    out = out.join(span, on="group")
    return out.reset_index(drop=True)


def _yearly(
    rng: np.random.Generator, first: np.ndarray, last: np.ndarray, keep: float
) -> tuple[np.ndarray, np.ndarray]:
    """A first day plus roughly yearly repeats up to `last`; repeats kept with `keep`."""
    count = np.where(first <= last, 1 + np.maximum(last - first, 0) // 365, 0)
    owner, position = repeat_ranges(np.minimum(count, 30))
    day = first[owner] + position * 365 + uniform_days(rng, -30, 30, owner.size) * (position > 0)
    ok = (position == 0) | (rng.random(owner.size) < keep)
    return owner[ok], day[ok]


def action_plans(rng: np.random.Generator, measures: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """An action plan (handleplan / barnets plan) at the start of nearly every career or spell,
    renewed about yearly during placements."""
    groups = _groups(measures)
    placement = groups["category"].to_numpy() == codes.PLACEMENT
    has_plan = placement | (rng.random(len(groups)) < 0.93)
    groups = groups[has_plan].reset_index(drop=True)
    placement = placement[has_plan]
    first = groups["start"].to_numpy() + uniform_days(rng, -20, 45, len(groups))
    last = np.where(placement, np.minimum(groups["end"].to_numpy(), horizon), first)
    owner, day = _yearly(rng, first, last, keep=0.8)
    linked = rng.random(owner.size) < 0.7
    return pd.DataFrame(
        {
            "person": groups["person"].to_numpy()[owner],
            "day": day,
            "measure_row": np.where(linked, groups["measure_row"].to_numpy()[owner], -1),
        }
    )


def family_involvement(
    rng: np.random.Generator, measures: pd.DataFrame, horizon: int
) -> pd.DataFrame:
    """How the family was involved, recorded at the start of a career or spell and yearly."""
    groups = _groups(measures)
    first = groups["start"].to_numpy() + uniform_days(rng, 0, 60, len(groups))
    last = np.minimum(groups["end"].to_numpy(), horizon)
    owner, day = _yearly(rng, first, last, keep=0.9)
    status = categorical(rng, (0.62, 0.13, 0.25), owner.size)
    return pd.DataFrame(
        {"person": groups["person"].to_numpy()[owner], "day": day, "status": status}
    )


def wellbeing(rng: np.random.Generator, measures: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Repeated wellbeing scores (Forandringskompasset, 1-10) of placed children."""
    groups = _groups(measures)
    groups = groups[groups["category"] == codes.PLACEMENT].reset_index(drop=True)
    k = len(groups)
    first = groups["start"].to_numpy() + uniform_days(rng, 30, 90, k)
    interval = uniform_days(rng, 150, 210, k)
    last = np.minimum(groups["end"].to_numpy(), horizon)
    count = np.where(first <= last, 1 + np.maximum(last - first, 0) // interval, 0)
    count = np.minimum(count, 40)
    owner, position = repeat_ranges(count)
    day = first[owner] + position * interval[owner]
    # Each child starts somewhere around 4.8 and drifts slowly upwards, with noise.
    base = rng.normal(4.8, 1.1, k)
    step = rng.normal(0.12, 0.45, owner.size) * (position > 0)
    walked = np.cumsum(step)
    drift = walked - walked[(np.cumsum(count) - count)[owner]]
    score = np.clip(np.round(base[owner] + drift, 1), 1.0, 10.0)
    return pd.DataFrame({"person": groups["person"].to_numpy()[owner], "day": day, "score": score})


def caseworker_assignments(
    rng: np.random.Generator,
    measures: pd.DataFrame,
    decisions: pd.DataFrame,
    turnover: float,
    horizon: int,
) -> pd.DataFrame:
    """INTAKE (modtagelse) first, then RESPONSIBLE caseworkers (sagsbehandler) with changes.

    One case per child (sags_id); it opens with the first investigation or measure and
    closes a little after the last measure ends.
    """
    case_measures = measures[measures["category"] != codes.OFFER]
    begin = pd.concat(
        [
            case_measures[["person", "start"]].rename(columns={"start": "day"}),
            decisions[["person", "decision"]].rename(columns={"decision": "day"}),
        ]
    )
    finish = pd.concat(
        [
            case_measures[["person", "end"]].rename(columns={"end": "day"}),
            decisions.loc[decisions["completed"] >= 0, ["person", "completed"]].rename(
                columns={"completed": "day"}
            ),
        ]
    )
    cases = pd.DataFrame(
        {
            "start": begin.groupby("person")["day"].min(),
            "end": finish.groupby("person")["day"].max(),
        }
    )
    cases["end"] = cases["end"].fillna(cases["start"]).astype(np.int64)
    cases = cases.reset_index()
    k = len(cases)
    c_start = cases["start"].to_numpy().astype(np.int64)
    c_end = np.maximum(cases["end"].to_numpy(), c_start) + uniform_days(rng, 10, 60, k)
    intake_end = np.minimum(c_start + uniform_days(rng, 20, 90, k) - 1, c_end)
    responsible = intake_end < c_end
    years = np.maximum(np.minimum(c_end, horizon) - intake_end, 0) / 365.25
    changes = np.where(responsible, rng.poisson(turnover * years), 0)
    n_spells = np.where(responsible, changes + 1, 0)
    owner, position = repeat_ranges(n_spells)
    # Change days: sorted uniform points within the responsible period.
    span_start = intake_end[owner] + 1
    span_len = c_end[owner] - span_start + 1
    cut = np.where(
        position > 0, span_start + np.floor(rng.random(owner.size) * span_len), span_start
    ).astype(np.int64)
    order = np.lexsort((cut, owner))
    owner, resp_from = owner[order], cut[order]
    resp_to = np.r_[resp_from[1:] - 1, 0]
    last_of_case = np.r_[owner[1:] != owner[:-1], True]
    resp_to = np.where(last_of_case, c_end[owner], resp_to)
    valid = resp_to >= resp_from
    pool = max(3, round(k / 40))
    worker = rng.integers(0, pool, owner.size)
    intake_worker = rng.integers(0, max(2, pool // 5), k)
    out = pd.concat(
        [
            pd.DataFrame(
                {
                    "person": cases["person"].to_numpy(),
                    "role": 0,
                    "worker": intake_worker + 10_000,  # intake team, numbered apart
                    "from_day": c_start,
                    "to_day": intake_end,
                }
            ),
            pd.DataFrame(
                {
                    "person": cases["person"].to_numpy()[owner][valid],
                    "role": 1,
                    "worker": worker[valid],
                    "from_day": resp_from[valid],
                    "to_day": resp_to[valid],
                }
            ),
        ],
        ignore_index=True,
    )
    return out.sort_values(["person", "from_day", "role"], kind="stable").reset_index(drop=True)
