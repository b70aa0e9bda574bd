"""Child investigations (børnefaglige undersøgelser, SEL § 50 / BL § 20).

Most measures are decided after an investigation: its completion comes a little before the
measure starts, and its decision date (when the 4-month clock starts) lies one completion
time earlier. Acute placements start before the investigation is done. Some investigations
follow a § 11, stk. 3 offer (indicator 10); some lead to nothing. How long they take is the
municipality's: a share within 6 weeks, a share within 4 months, the rest late, and a few
never completed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo import dates
from demo.placements import Careers
from demo.profiles import MunicipalityProfile
from demo.sampling import age_offsets, categorical, first_of_runs, uniform_days
from demo.support import MeasureRows, Spells

ACUTE_FIRST = 0.15  # first placements that start before the investigation is completed
ACUTE_AGAIN = 0.30
NEW_BEFORE_PLACEMENT = 0.50  # after home-based support, a new investigation before placing
AFTER_OFFER = 0.10  # offer recipients investigated afterwards
WITHOUT_MEASURE = 0.10  # children investigated once without any measure following
NEVER_COMPLETED = 0.03
ANY_AGE = (6, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 7, 7, 8, 8, 7, 5, 3)


@dataclass(frozen=True)
class Investigations:
    person: np.ndarray
    decision: np.ndarray
    completed: np.ndarray  # NO_DATE when never completed


def _durations(rng: np.random.Generator, profile: MunicipalityProfile, size: int) -> np.ndarray:
    bucket = categorical(
        rng,
        (profile.six_weeks, max(profile.on_time - profile.six_weeks, 0.0), 1 - profile.on_time),
        size,
    )
    low = np.array([10, 43, 121])[bucket]
    high = np.array([42, 120, 300])[bucket]
    return low + np.floor(rng.random(size) * (high - low + 1)).astype(np.int64)


def simulate(
    rng: np.random.Generator,
    profile: MunicipalityProfile,
    birth: np.ndarray,
    careers: Careers,
    spells: Spells,
    offers: MeasureRows,
) -> Investigations:
    person, decision, completed = [], [], []

    def planned(who: np.ndarray, measure_start: np.ndarray) -> None:
        duration = _durations(rng, profile, who.size)
        done = measure_start - uniform_days(rng, 0, 30, who.size)
        person.append(who)
        completed.append(done)
        decision.append(done - duration)

    def opened(who: np.ndarray, day: np.ndarray) -> None:
        person.append(who)
        decision.append(day)
        completed.append(day + _durations(rng, profile, who.size))

    # Home-based spells of their own or before a placement start after an investigation.
    decided = spells.origin != 2
    planned(spells.person[decided], spells.start[decided])

    # Placements: a new investigation unless one was just made for the support before it.
    k = careers.career_person.size
    had_support = np.isin(careers.career_person, spells.person[spells.origin == 1]) & (
        careers.career_number == 1
    )
    needs = ~had_support | (rng.random(k) < NEW_BEFORE_PLACEMENT)
    acute = rng.random(k) < np.where(careers.career_number == 1, ACUTE_FIRST, ACUTE_AGAIN)
    plan = needs & ~acute
    planned(careers.career_person[plan], careers.career_start[plan])
    fast = needs & acute
    opened(
        careers.career_person[fast],
        careers.career_start[fast] - uniform_days(rng, 0, 10, fast.sum()),
    )

    # After a § 11, stk. 3 offer (first offer per child only).
    first_offer = first_of_runs(offers.person)
    after = first_offer & (rng.random(len(offers)) < AFTER_OFFER)
    opened(offers.person[after], offers.start[after] + uniform_days(rng, 30, 150, after.sum()))

    # Investigations that lead to no measure.
    n = birth.size
    alone = np.flatnonzero(rng.random(n) < WITHOUT_MEASURE)
    opened(alone, birth[alone] + age_offsets(rng, ANY_AGE, alone.size))

    who = np.concatenate(person)
    dec = np.concatenate(decision)
    comp = np.concatenate(completed)
    # An investigation cannot be decided before birth in this demo.
    shift = np.maximum(birth[who] - dec, 0)
    dec, comp = dec + shift, comp + shift
    comp = np.where(rng.random(who.size) < NEVER_COMPLETED, dates.NO_DATE, comp)
    order = np.lexsort((dec, who))
    return Investigations(person=who[order], decision=dec[order], completed=comp[order])
