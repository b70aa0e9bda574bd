"""Adults in social-psychiatric housing centres (bocentre), for goal Q2 (seed 003).

These are adults, so they get their own synthetic persons (born 1941-2005) and CPR numbers;
they are not part of the child population and never appear in the children's files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from demo import codes, dates
from demo.sampling import categorical, lognormal_days, uniform_days

RESIDENTS_PER_1000_CHILDREN = 3.5  # residents on a day, relative to the municipality's size
FIRST_START = dates.day("2006-01-01")
MEDIAN_STAY = 1280  # days; with the spread below the mean stay is about 5 years
STAY_SIGMA = 0.9
# Where residents go when they move out: about a third to more independent housing, which
# gives the 6-10 % a year of seed 003.
DESTINATION_P = (0.32, 0.18, 0.12, 0.10, 0.28)


@dataclass(frozen=True)
class Adults:
    birth: np.ndarray
    male: np.ndarray
    stays: pd.DataFrame  # adult, centre, start, end, destination


def simulate(rng: np.random.Generator, children_0_17: float, horizon: int) -> Adults:
    stock = RESIDENTS_PER_1000_CHILDREN * children_0_17 / 1000
    mean_stay = MEDIAN_STAY * np.exp(STAY_SIGMA**2 / 2)
    n = max(int(rng.poisson(stock * (horizon - FIRST_START) / mean_stay)), 2)
    start = FIRST_START + np.floor(rng.random(n) * (horizon - FIRST_START + 1)).astype(np.int64)
    end = start + lognormal_days(rng, MEDIAN_STAY, STAY_SIGMA, n) - 1
    age_days = np.floor((20 + 45 * rng.random(n)) * 365.25).astype(np.int64)
    birth = start - age_days
    male = rng.random(n) < 0.58
    centres = max(2, round(stock / 40))
    centre = rng.integers(0, centres, n)
    destination = categorical(rng, DESTINATION_P, n)
    # Moving to another centre is a new stay for the same adult, starting within a month.
    moved = destination == codes.OTHER_CENTRE
    m_start = end[moved] + uniform_days(rng, 0, 30, int(moved.sum()))
    m_end = m_start + lognormal_days(rng, MEDIAN_STAY, STAY_SIGMA, int(moved.sum())) - 1
    m_centre = (
        centre[moved] + 1 + rng.integers(0, max(centres - 1, 1), int(moved.sum()))
    ) % centres
    m_destination = np.asarray([0, 2, 3, 4])[
        categorical(rng, (0.39, 0.15, 0.12, 0.34), int(moved.sum()))
    ]
    stays = pd.DataFrame(
        {
            "adult": np.r_[np.arange(n), np.flatnonzero(moved)],
            "centre": np.r_[centre, m_centre],
            "start": np.r_[start, m_start],
            "end": np.r_[end, m_end],
            "destination": np.r_[destination, m_destination],
        }
    )
    stays = stays[stays["start"] <= horizon]
    stays = stays.sort_values(["adult", "start"], kind="stable").reset_index(drop=True)
    return Adults(birth=birth.astype(np.int64), male=male, stays=stays)
