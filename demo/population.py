"""A municipality's synthetic child population: one birth day and sex per child.

The case data is drawn from this population, and FOLK1A is counted from it, so the
per-1000 rates the pipeline computes have exactly the denominator the cases came from.
The population is closed (nobody moves): a simplification that keeps FOLK1A and the cases
consistent without modelling migration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo import dates

FIRST_BIRTH_YEAR = 1998  # 17 years old on 2016-01-01, the first day of the history
LAST_BIRTH_YEAR = 2025
REFERENCE_DAY = dates.day("2024-01-01")  # the profile's size is the 0-17 count on this day
MALE_SHARE = 0.513

# Relative size of each birth cohort 1998-2025 (Danish live births, thousands, rounded;
# the dip around 2013 and the 2021 peak are real). Only the shape matters here.
_BIRTHS = np.array(
    [
        66.2, 66.2, 67.1, 65.5, 64.1, 64.6, 64.6, 64.3, 65.0, 64.1, 65.0, 62.8, 63.4, 58.9,
        57.9, 55.9, 57.0, 58.2, 61.6, 61.4, 61.5, 61.2, 60.9, 63.5, 58.4, 57.0, 57.5, 57.5,
    ]
)  # fmt: skip


@dataclass(frozen=True)
class Population:
    """Children born 1998-2025, sorted by birth day."""

    birth: np.ndarray  # int32 day numbers
    male: np.ndarray  # bool

    def __len__(self) -> int:
        return int(self.birth.size)


def generate(children_0_17: float, rng: np.random.Generator) -> Population:
    """Draw daily births by sex so that about `children_0_17` are aged 0-17 on 2024-01-01."""
    first = dates.year_start(FIRST_BIRTH_YEAR)
    last = dates.year_start(LAST_BIRTH_YEAR + 1) - 1
    days = np.arange(first, last + 1, dtype=np.int32)
    year = dates.split(days)[0]
    days_in_year = np.array(
        [dates.year_start(y + 1) - dates.year_start(y) for y in range(1998, 2026)]
    )
    cohort = _BIRTHS[year - FIRST_BIRTH_YEAR]
    # Cohorts 2006-2023 are (almost exactly) the 0-17-year-olds of 2024-01-01.
    scale = children_0_17 / _BIRTHS[2006 - FIRST_BIRTH_YEAR : 2024 - FIRST_BIRTH_YEAR].sum()
    per_day = scale * cohort / days_in_year[year - FIRST_BIRTH_YEAR]
    boys = rng.poisson(per_day * MALE_SHARE)
    girls = rng.poisson(per_day * (1 - MALE_SHARE))
    birth = np.concatenate([np.repeat(days, boys), np.repeat(days, girls)])
    male = np.concatenate([np.ones(boys.sum(), bool), np.zeros(girls.sum(), bool)])
    order = np.argsort(birth, kind="stable")
    return Population(birth=birth[order].astype(np.int32), male=male[order])


def count_by_age(
    birth: np.ndarray, on_day: int, max_age: int = 17, mask: np.ndarray | None = None
) -> np.ndarray:
    """Number of persons of each age 0..max_age on a day (birth must be sorted)."""
    if mask is not None:
        birth = birth[mask]
    # Age a on day d: born after the (a+1)-th birthday window and on or before d - a years.
    ages = np.arange(max_age + 2)
    bounds = dates.add_years(np.full(ages.size, on_day, dtype=np.int32), -ages)
    # Born on or before bounds[a] and after bounds[a + 1] means aged exactly a.
    upto = np.searchsorted(birth, bounds, side="right")
    return (upto[:-1] - upto[1:]).astype(np.int64)


def quarter_days(first_year: int, last_year: int, last_quarter: int) -> list[tuple[str, int]]:
    """(FOLK1A TID code, first day) of every quarter from first_year K1 on."""
    out = []
    for year in range(first_year, last_year + 1):
        for quarter in range(1, 5):
            if year == last_year and quarter > last_quarter:
                break
            month = 3 * (quarter - 1) + 1
            out.append((f"{year}K{quarter}", dates.day(f"{year}-{month:02d}-01")))
    return out
