"""School, education and crime records of the children known to the case system.

The real sources (the school system, the education register, the police) cover every
child; the demo writes only children with a home-based measure, a placement or an order,
the persons the goal indicators (G4-G7, S6) look at.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import codes, dates
from demo.sampling import categorical, repeat_ranges

FIRST_SCHOOL_YEAR = 2015  # 2015/16
LAST_SCHOOL_YEAR = 2024  # 2024/25, the last complete school year of the history
HISTORY_START = dates.day("2016-01-01")

# Youth education: share starting, years of study, share completing.
EDUCATION_P = (0.25, 0.10, 0.05, 0.10, 0.30, 0.05, 0.15)
EDUCATION_YEARS = (3, 3, 3, 2, 3.5, 4, 1.5)
EDUCATION_COMPLETES = (0.75, 0.70, 0.70, 0.60, 0.45, 0.50, 0.40)
FGU = codes.EDUCATION_CODES.index("FGU")
EUD = codes.EDUCATION_CODES.index("EUD")


def _school_persons(measures: pd.DataFrame) -> pd.DataFrame:
    """Children with a home-based measure, a placement or an order, and their span of help."""
    relevant = measures[measures["category"].isin((codes.HOME_BASED, codes.PLACEMENT, codes.ORDER))]
    span = relevant.groupby("person").agg(first=("start", "min"), last=("end", "max"))
    placed = relevant[relevant["category"] == codes.PLACEMENT].groupby("person").size()
    span["placed"] = span.index.isin(placed.index)
    return span.reset_index()


def absence(rng: np.random.Generator, measures: pd.DataFrame, birth: np.ndarray) -> pd.DataFrame:
    """Absence (%) per school year while the child is of school age (6-16 on 31 December)."""
    people = _school_persons(measures)
    person = people["person"].to_numpy()
    birth_year = dates.split(birth[person])[0]
    years = np.arange(FIRST_SCHOOL_YEAR, LAST_SCHOOL_YEAR + 1)
    owner = np.repeat(np.arange(person.size), years.size)
    year = np.tile(years, person.size)
    age = year - birth_year[owner]
    keep = (age >= 6) & (age <= 16)
    owner, year = owner[keep], year[keep]
    # A child's absence level, higher in years with help (or the year before it starts).
    level = np.exp(np.log(4.5) + 0.75 * rng.standard_normal(person.size))
    year_start = dates.from_parts(year, np.full(year.size, 8), np.ones(year.size, np.int64))
    year_end = dates.from_parts(year + 1, np.full(year.size, 7), np.full(year.size, 31))
    helped = (people["first"].to_numpy()[owner] <= year_end) & (
        people["last"].to_numpy()[owner] >= year_start
    )
    pct = level[owner] * np.where(helped, 1.3, 1.0) * np.exp(0.3 * rng.standard_normal(owner.size))
    municipal = rng.random(person.size) < np.where(people["placed"].to_numpy(), 0.65, 0.88)
    return pd.DataFrame(
        {
            "person": person[owner],
            "school_year": year,
            "municipal": municipal[owner].astype(np.int8),
            "pct": np.round(np.clip(pct, 0.0, 100.0), 1),
        }
    )


def completion(rng: np.random.Generator, measures: pd.DataFrame, birth: np.ndarray) -> pd.DataFrame:
    """Whether the child completed 9th grade, in the school year they turn 15 in August-December."""
    people = _school_persons(measures)
    person = people["person"].to_numpy()
    year = dates.split(birth[person])[0] + 15
    keep = (year >= FIRST_SCHOOL_YEAR) & (year <= LAST_SCHOOL_YEAR)
    p = np.where(people["placed"].to_numpy(), 0.74, 0.86)
    done = rng.random(person.size) < p
    return pd.DataFrame(
        {"person": person[keep], "school_year": year[keep], "completed": done[keep].astype(np.int8)}
    )


def youth_education(
    rng: np.random.Generator, measures: pd.DataFrame, birth: np.ndarray, horizon: int
) -> pd.DataFrame:
    """Youth education starts in August (mostly at 16-17) and completions some years later."""
    people = _school_persons(measures)
    person = people["person"].to_numpy()
    birth_year = dates.split(birth[person])[0]
    n = person.size
    delay = np.array([16, 17, 18, 19, 20, 22])[
        categorical(rng, (0.6, 0.2, 0.08, 0.05, 0.04, 0.03), n)
    ]
    start_year = birth_year + delay
    starts = rng.random(n) < np.where(people["placed"].to_numpy(), 0.62, 0.75)
    start = dates.from_parts(start_year, np.full(n, 8), rng.integers(1, 21, n))
    keep = starts & (start_year >= 2012) & (start <= horizon)
    person, start = person[keep], start[keep].astype(np.int64)
    kind = categorical(rng, EDUCATION_P, person.size)
    completes = rng.random(person.size) < np.asarray(EDUCATION_COMPLETES)[kind]
    years = np.asarray(EDUCATION_YEARS)[kind]
    done = start + np.rint(years * 365.25).astype(np.int64) - 45  # June of the last year
    completed = np.where(completes, done, dates.NO_DATE)
    # A third of those who drop out start again (at FGU or a vocational school) within 6-18 months.
    dropout = ~completes
    again = dropout & (rng.random(person.size) < 0.33)
    second_start = start + rng.integers(180, 540, person.size)
    stop = start + np.rint(years * 365.25 * rng.random(person.size)).astype(np.int64)
    second_start = np.maximum(second_start, stop + 30)
    second_kind = np.where(rng.random(person.size) < 0.5, FGU, EUD)
    second_done = np.where(
        rng.random(person.size) < 0.4,
        second_start + np.rint(np.asarray(EDUCATION_YEARS)[second_kind] * 365.25).astype(np.int64),
        dates.NO_DATE,
    )
    first = pd.DataFrame({"person": person, "start": start, "completed": completed, "kind": kind})
    second = pd.DataFrame(
        {
            "person": person[again],
            "start": second_start[again],
            "completed": second_done[again],
            "kind": second_kind[again],
        }
    )
    out = pd.concat([first, second], ignore_index=True)
    out = out[out["start"] <= horizon]
    return out.sort_values(["person", "start"], kind="stable").reset_index(drop=True)


def charges(
    rng: np.random.Generator,
    measures: pd.DataFrame,
    birth: np.ndarray,
    male: np.ndarray,
    horizon: int,
) -> pd.DataFrame:
    """Charges of 14-17-year-olds (boys more often, placed children more often)."""
    people = _school_persons(measures)
    person = people["person"].to_numpy()
    lo = np.maximum(dates.birthday(birth[person], 14).astype(np.int64), HISTORY_START)
    hi = np.minimum(dates.birthday(birth[person], 18).astype(np.int64) - 1, horizon)
    years = np.maximum(hi - lo + 1, 0) / 365.25
    rate = np.where(male[person], 0.22, 0.07) * np.where(people["placed"].to_numpy(), 1.8, 1.0)
    count = rng.poisson(rate * years)
    owner, _ = repeat_ranges(count)
    day = lo[owner] + np.floor(rng.random(owner.size) * (hi[owner] - lo[owner] + 1)).astype(
        np.int64
    )
    severity = categorical(rng, (0.25, 0.15, 0.60), owner.size)
    out = pd.DataFrame({"person": person[owner], "day": day, "severity": severity})
    return out.sort_values(["person", "day"], kind="stable").reset_index(drop=True)
