"""Counts on a day from a world's true history: the realism figures of the README, the
demo municipalities' StatBank numbers, and what the tests check the rates against.

These follow the SPEC's definitions (§2 active, §3 exclusions and current placement) on
the generator's own tables; the pipeline computes the same from the written files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo import codes, dates, population
from demo.world import World


@dataclass(frozen=True)
class DayCounts:
    day: int
    children_0_17: int  # FOLK1A-style: the population aged 0-17 that day
    placed: int  # persons 0-17 placed, after the exclusions of SPEC §3
    placed_by_type: dict[int, int]  # current placement type -> persons
    placed_by_dst_code: dict[int, int]
    home_based: int  # persons 0-17 with a HOME_BASED measure active, after exclusions
    home_based_not_placed: int
    offers_granted: int  # active authority-granted PREVENTIVE_OFFER measures (indicator 6)
    excluded: int  # persons 0-17 placed or with home-based help who were excluded

    def per_1000(self, count: int) -> float:
        return 1000 * count / self.children_0_17 if self.children_0_17 else float("nan")


def _active(measures: pd.DataFrame, day: int) -> pd.DataFrame:
    return measures[(measures["start"] <= day) & (measures["end"] >= day)]


def counts_on(world: World, day: int) -> DayCounts:
    birth = world.population.birth.astype(np.int64)
    active = _active(world.measures, day)
    age = dates.age_on(birth[active["person"].to_numpy()], day)
    active = active[(age >= 0) & (age < 18)]
    disabled = set(active.loc[active["disability"], "person"].tolist())
    refugees = set(np.flatnonzero(world.refugee).tolist())
    excluded_people = disabled | refugees
    keep = ~active["person"].isin(excluded_people)
    counted = active[keep]

    placed = counted[counted["category"] == codes.PLACEMENT]
    # Current placement: latest start, then the latest-created measure (SPEC §3).
    current = placed.sort_values(["person", "start"], kind="stable").groupby("person").tail(1)
    home = counted[counted["category"] == codes.HOME_BASED]["person"].unique()
    offers = counted[(counted["category"] == codes.OFFER) & (counted["granted"] == codes.TRUE)]
    touched = active[active["category"].isin((codes.PLACEMENT, codes.HOME_BASED))]
    return DayCounts(
        day=day,
        children_0_17=int(population.count_by_age(world.population.birth, day).sum()),
        placed=len(current),
        placed_by_type={int(k): int(v) for k, v in current["ptype"].value_counts().items()},
        placed_by_dst_code={int(k): int(v) for k, v in current["dst_code"].value_counts().items()},
        home_based=int(home.size),
        home_based_not_placed=int((~np.isin(home, current["person"].to_numpy())).sum()),
        offers_granted=len(offers),
        excluded=int(
            touched["person"].isin(excluded_people).groupby(touched["person"]).any().sum()
        ),
    )
