"""Home-based support, § 11, stk. 3 offers, orders and parent-directed efforts.

Home-based support comes in spells: a period in which a child gets one or more home-based
measures. Spells come before a placement (the help that did not suffice), after one (support
after returning home), or on their own. One main measure covers the whole spell, so the
number of children with home-based support on a day is the number of spells active on it;
extra measures (respite, a family residential stay, a contact person, ...) run inside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo import codes, dates, legal
from demo.placements import Careers
from demo.sampling import (
    DAYS_PER_YEAR,
    age_offsets,
    categorical,
    lognormal_days,
    repeat_ranges,
    uniform_days,
)

HOME_BASED_START_AGE = (4, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 12, 11, 8, 4)
OFFER_START_AGE = (3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9, 8, 7, 5, 3, 2)

# The main measure of a spell, by Serviceloven § 52, stk. 3 number (10 = § 52 a): family
# treatment and a contact person dominate; a few spells are respite for disabled children.
MAIN_NR = (3, 6, 2, 1, 9, codes.SEL_52A, 8, codes.RESPITE_NR)
MAIN_P = (0.34, 0.30, 0.08, 0.06, 0.08, 0.08, 0.03, 0.03)
EXTRA_NR = (codes.RESPITE_NR, codes.FAMILY_RESIDENTIAL_NR, 6, 3, codes.SEL_52A, 9)
EXTRA_P = (0.30, 0.10, 0.20, 0.15, 0.20, 0.05)

BEFORE_PLACEMENT = 0.55  # share of first placements preceded by home-based support
AFTER_PLACEMENT = 0.50  # share of placements ending before 18 followed by support at home
DISABILITY_SHARE = 0.04  # home-based spells granted because of a disability (respite)
ORDER_SHARE = 0.08  # spells of 12+-year-olds that also get an order
PARENT_DIRECTED_SHARE = 0.35  # placements with an effort for the parents


_HOME_BASED_KEYS = np.full(codes.SEL_52A + 1, -1, dtype=np.int64)
for _nr, _key in legal.HOME_BASED_KEY.items():
    _HOME_BASED_KEYS[_nr] = _key


@dataclass(frozen=True)
class Spells:
    person: np.ndarray
    start: np.ndarray
    end: np.ndarray
    origin: np.ndarray  # 0 = on its own, 1 = before a placement, 2 = after one
    disabled: np.ndarray


@dataclass(frozen=True)
class MeasureRows:
    """Measures of one kind, in the columns the measures table needs."""

    person: np.ndarray
    category: np.ndarray
    nr: np.ndarray  # § 52 number, offer number, or 0
    ref_key: np.ndarray  # legal.py key
    start: np.ndarray
    end: np.ndarray
    end_reason: np.ndarray
    provider: np.ndarray
    granted: np.ndarray
    disability: np.ndarray

    def __len__(self) -> int:
        return int(self.person.size)


def placement_spells(rng: np.random.Generator, birth: np.ndarray, careers: Careers) -> Spells:
    """Home-based support before and after placements."""
    cap = dates.birthday(birth, 18).astype(np.int64) - 1
    first = careers.career_number == 1
    person = careers.career_person
    refugee = careers.refugee[person]
    before = first & ~refugee & (rng.random(person.size) < BEFORE_PLACEMENT)
    b_end = careers.career_start - categorical(rng, (0.5, 0.5), person.size)
    b_start = np.maximum(b_end - lognormal_days(rng, 300, 0.7, person.size) + 1, birth[person])
    before &= b_start <= b_end
    after = (
        ~careers.career_capped
        & ~refugee
        & (careers.career_end + 1 <= cap[person])
        & (rng.random(person.size) < AFTER_PLACEMENT)
    )
    a_start = careers.career_end + 1
    a_end = np.minimum(a_start + lognormal_days(rng, 270, 0.6, person.size) - 1, cap[person])
    disabled = careers.disabled[person]
    return Spells(
        person=np.concatenate([person[before], person[after]]),
        start=np.concatenate([b_start[before], a_start[after]]),
        end=np.concatenate([b_end[before], a_end[after]]),
        origin=np.concatenate([np.full(before.sum(), 1), np.full(after.sum(), 2)]),
        disabled=np.concatenate([disabled[before], disabled[after]]),
    )


def own_spells(
    rng: np.random.Generator, birth: np.ndarray, target_prevalence: float
) -> tuple[Spells, float]:
    """Home-based spells not tied to a placement, calibrated to a share of children on a day."""
    n = birth.size
    cap = dates.birthday(birth, 18).astype(np.int64) - 1
    n_spells = categorical(rng, (0.75, 0.20, 0.05), n) + 1
    owner, _ = repeat_ranges(n_spells)
    first_start = birth + age_offsets(rng, HOME_BASED_START_AGE, n)
    duration = lognormal_days(rng, 730, 0.8, owner.size)
    pause = uniform_days(rng, 90, 900, owner.size)
    # Spell k starts after spell k-1 ended and a pause: cumulate within each child.
    step = duration + pause
    before = np.cumsum(step) - step
    first_of_child = (np.cumsum(n_spells) - n_spells)[owner]
    start = first_start[owner] + before - before[first_of_child]
    end = np.minimum(start + duration - 1, cap[owner])
    valid = start <= cap[owner]
    days = float((end - start + 1)[valid].sum())
    p = max(target_prevalence, 0.0) * n * 18 * DAYS_PER_YEAR / days
    keep = valid & (rng.random(n) < p)[owner]
    disabled = (rng.random(n) < DISABILITY_SHARE)[owner]
    return (
        Spells(
            person=owner[keep],
            start=start[keep],
            end=end[keep],
            origin=np.zeros(keep.sum(), dtype=np.int64),
            disabled=disabled[keep],
        ),
        p,
    )


def spell_measures(
    rng: np.random.Generator, spells: Spells, disabled_person: np.ndarray
) -> tuple[MeasureRows, np.ndarray]:
    """The main measure of every spell plus up to two extra measures inside it.

    Returns the measures and, per measure, the index of its spell (mains come first, in
    spell order, then the extras).
    """
    k = spells.person.size
    main_nr = np.asarray(MAIN_NR)[categorical(rng, MAIN_P, k)]
    disabled = spells.disabled | disabled_person[spells.person]
    main_nr = np.where(disabled, codes.RESPITE_NR, main_nr)
    n_extra = np.minimum(rng.poisson(0.5, k), 2)
    owner, _ = repeat_ranges(n_extra)
    extra_nr = np.asarray(EXTRA_NR)[categorical(rng, EXTRA_P, owner.size)]
    length = spells.end[owner] - spells.start[owner] + 1
    x_start = spells.start[owner] + np.floor(rng.random(owner.size) * 0.6 * length).astype(np.int64)
    median = np.where(
        extra_nr == codes.FAMILY_RESIDENTIAL_NR,
        120,
        np.where(extra_nr == codes.RESPITE_NR, 365, 240),
    )
    sigma = np.where(extra_nr == codes.FAMILY_RESIDENTIAL_NR, 0.4, 0.7)
    x_end = np.minimum(
        x_start + lognormal_days(rng, median, sigma, owner.size) - 1, spells.end[owner]
    )

    person = np.concatenate([spells.person, spells.person[owner]])
    nr = np.concatenate([main_nr, extra_nr])
    start = np.concatenate([spells.start, x_start])
    end = np.concatenate([spells.end, x_end])
    m = person.size
    ref_key = _HOME_BASED_KEYS[nr]
    capped_reason = categorical(rng, (0.80, 0.08, 0.12), m)
    spell = np.r_[np.arange(k), owner]
    rows = MeasureRows(
        person=person,
        category=np.full(m, codes.HOME_BASED),
        nr=nr,
        ref_key=ref_key,
        start=start,
        end=end,
        end_reason=capped_reason,
        provider=categorical(rng, (0.45, 0.35, 0.20), m),
        granted=np.where(rng.random(m) < 0.03, codes.EMPTY, codes.TRUE),
        disability=np.concatenate([disabled, disabled[owner]]),
    )
    return rows, spell


def offers(
    rng: np.random.Generator, birth: np.ndarray, offers_per_1000: float
) -> tuple[MeasureRows, float]:
    """§ 11, stk. 3 offers (PREVENTIVE_OFFER), calibrated to active offers per 1000."""
    n = birth.size
    cap = dates.birthday(birth, 18).astype(np.int64) - 1
    n_offers = categorical(rng, (0.85, 0.15), n) + 1
    owner, position = repeat_ranges(n_offers)
    first = birth + age_offsets(rng, OFFER_START_AGE, n)
    start = first[owner] + np.where(position > 0, uniform_days(rng, 0, 200, owner.size), 0)
    end = np.minimum(
        start + np.maximum(lognormal_days(rng, 180, 0.5, owner.size), 14) - 1, cap[owner]
    )
    valid = start <= cap[owner]
    days = float((end - start + 1)[valid].sum())
    p = offers_per_1000 / 1000 * n * 18 * DAYS_PER_YEAR / days
    keep = valid & (rng.random(n) < p)[owner]
    person, start, end = owner[keep], start[keep], end[keep]
    m = person.size
    nr = categorical(rng, (0.40, 0.15, 0.30, 0.15), m) + 1
    ref_key = np.asarray([legal.OFFER_KEY[i] for i in (1, 2, 3, 4)])[nr - 1]
    return (
        MeasureRows(
            person=person,
            category=np.full(m, codes.OFFER),
            nr=nr,
            ref_key=ref_key,
            start=start,
            end=end,
            end_reason=categorical(rng, (0.85, 0.05, 0.10), m),
            provider=np.asarray([codes.INTERNAL, codes.GENERAL, codes.EXTERNAL])[
                categorical(rng, (0.55, 0.30, 0.15), m)
            ],
            granted=np.asarray([codes.TRUE, codes.FALSE, codes.EMPTY])[
                categorical(rng, (0.85, 0.08, 0.07), m)
            ],
            disability=np.zeros(m, dtype=bool),
        ),
        p,
    )


def orders(rng: np.random.Generator, birth: np.ndarray, spells: Spells) -> MeasureRows:
    """Orders (forældrepålæg, børne- og ungepålæg) for some teenagers with home-based support."""
    age = dates.age_on(birth[spells.person], spells.start)
    pick = (age >= 12) & (spells.origin == 0) & (rng.random(age.size) < ORDER_SHARE)
    person = spells.person[pick]
    cap = dates.birthday(birth[person], 18).astype(np.int64) - 1
    start = spells.start[pick] + uniform_days(rng, 14, 120, person.size)
    end = np.minimum(start + uniform_days(rng, 180, 365, person.size) - 1, cap)
    ok = start <= end
    person, start, end = person[ok], start[ok], end[ok]
    m = person.size
    youth = rng.random(m) < 0.65
    return MeasureRows(
        person=person,
        category=np.full(m, codes.ORDER),
        nr=np.zeros(m, dtype=np.int64),
        ref_key=np.where(youth, legal.YOUTH_ORDER_KEY, legal.PARENT_ORDER_KEY),
        start=start,
        end=end,
        end_reason=categorical(rng, (0.70, 0.10, 0.20), m),
        provider=np.full(m, codes.INTERNAL),
        granted=np.full(m, codes.TRUE),
        disability=np.zeros(m, dtype=bool),
    )


def parent_directed(rng: np.random.Generator, careers: Careers) -> MeasureRows:
    """A støtteperson or other support for the parents during a placement (SEL § 54 / BL § 75)."""
    k = careers.career_person.size
    pick = rng.random(k) < PARENT_DIRECTED_SHARE
    start = careers.career_start + uniform_days(rng, 0, 90, k)
    end = np.minimum(start + lognormal_days(rng, 365, 0.6, k) - 1, careers.career_end)
    pick &= start <= end
    m = int(pick.sum())
    return MeasureRows(
        person=careers.career_person[pick],
        category=np.full(m, codes.PARENT_DIRECTED),
        nr=np.zeros(m, dtype=np.int64),
        ref_key=np.full(m, legal.PARENT_DIRECTED_KEY),
        start=start[pick],
        end=end[pick],
        end_reason=categorical(rng, (0.75, 0.10, 0.15), m),
        provider=np.where(rng.random(m) < 0.5, codes.INTERNAL, codes.EXTERNAL),
        granted=np.full(m, codes.TRUE),
        disability=careers.disabled[careers.career_person[pick]],
    )
