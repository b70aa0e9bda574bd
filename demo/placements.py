"""Placement careers: one or more consecutive placements of a child, until home or 18.

A career is a chain of placement episodes (one measure each). A change of placement type
or of foster family starts a new episode; the new one starts the day the old one ends (a
move day, both active), the day after, or now and then with a one-day gap. Placements end
at the latest the day before the 18th birthday. The share of children placed is calibrated
per municipality: careers are drawn for every child, and each child keeps theirs with the
probability that makes the expected number placed on any day equal the profile's rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo import codes, dates, legal
from demo.sampling import (
    DAYS_PER_YEAR,
    age_offsets,
    categorical,
    categorical_by_row,
    lognormal_days,
    uniform_days,
)

# Age at the start of a first placement (years 0-17): many infants, then a teenage peak.
START_AGE_WEIGHTS = (10, 4, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 7, 10, 13, 14, 11, 6)

# Placement type at entry by age group (0-5, 6-11, 12-14, 15-17), columns in codes order:
# foster, municipal foster, network foster, residential, secure, social-pedagogical,
# own room, boarding school, other. Tuned so that the stock on a day matches the Danish
# mix (README): long foster-family placements dominate the stock, short secure stays don't.
ENTRY_MIX = np.array(
    [
        [0.44, 0.07, 0.10, 0.18, 0.00, 0.15, 0.00, 0.00, 0.06],
        [0.28, 0.05, 0.08, 0.29, 0.00, 0.24, 0.00, 0.02, 0.04],
        [0.10, 0.02, 0.04, 0.36, 0.15, 0.21, 0.00, 0.06, 0.06],
        [0.05, 0.01, 0.03, 0.25, 0.17, 0.16, 0.24, 0.05, 0.04],
    ]
)
REFUGEE_MIX = np.array([[0.25, 0.00, 0.05, 0.25, 0.00, 0.10, 0.35, 0.00, 0.00]])
DISABILITY_MIX = np.array([[0.20, 0.00, 0.00, 0.60, 0.00, 0.20, 0.00, 0.00, 0.00]])

# Median duration (days) and log-scale spread per placement type.
DURATION_MEDIAN = np.array([1400, 900, 1400, 550, 110, 750, 400, 300, 300], dtype=float)
DURATION_SIGMA = np.array([0.9, 0.9, 0.9, 0.9, 0.6, 0.9, 0.7, 0.5, 0.8])

EPISODES_PER_CAREER = (0.55, 0.27, 0.12, 0.06)
SAME_TYPE_MOVE = 0.25  # a move to another foster family or institution of the same type
MOVE_GAP = (0.40, 0.50, 0.10)  # new starts on the old end day / the day after / a day later
SECOND_CAREER = 0.15  # placed again some time after returning home
REFUGEE_SHARE_OF_TEENS = 0.08  # of careers starting at 13+: unaccompanied refugee minors
DISABILITY_SHARE = 0.04
NO_CONSENT = 0.12  # placed without consent (SEL § 58 / BL § 47)
FOSTER_RELABEL_FROM = dates.day("2020-01-01")  # almen/forstærket/specialiseret from 2020


@dataclass(frozen=True)
class Careers:
    """Placement episodes (one row each) and the careers they belong to."""

    person: np.ndarray
    career: np.ndarray
    ptype: np.ndarray
    label: np.ndarray
    dst_code: np.ndarray
    start: np.ndarray
    end: np.ndarray
    end_reason: np.ndarray
    consent: np.ndarray
    provider: np.ndarray
    # per career
    career_person: np.ndarray
    career_start: np.ndarray
    career_end: np.ndarray
    career_capped: np.ndarray  # ended on the day before the 18th birthday
    career_number: np.ndarray  # 1 = first placement, 2 = placed again
    refugee: np.ndarray  # per population person
    disabled: np.ndarray  # per population person


def _age_group(age_years: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.array([6, 12, 15]), age_years, side="right")


def _episodes(
    rng: np.random.Generator,
    birth: np.ndarray,
    start: np.ndarray,
    cap: np.ndarray,
    mix_row: np.ndarray,
    mixes: np.ndarray,
) -> dict[str, np.ndarray]:
    """Chains of episodes for careers starting on `start` (one per element)."""
    n = start.size
    n_episodes = categorical(rng, EPISODES_PER_CAREER, n) + 1
    out: dict[str, list[np.ndarray]] = {k: [] for k in ("career", "ptype", "start", "end", "last")}
    current = start.copy()
    alive = current <= cap
    previous = np.full(n, -1)
    for k in range(len(EPISODES_PER_CAREER) + 1):
        alive &= current <= cap
        if k >= 1:
            alive &= n_episodes > k
        idx = np.flatnonzero(alive)
        if idx.size == 0:
            break
        age = dates.age_on(birth[idx], current[idx])
        if k == 0:
            ptype = categorical_by_row(rng, mixes, mix_row[idx])
            # A secure stay is always followed by another placement.
            n_episodes[idx] = np.where(
                ptype == codes.SECURE_INSTITUTION, np.maximum(n_episodes[idx], 2), n_episodes[idx]
            )
        else:
            fresh = categorical_by_row(rng, ENTRY_MIX, _age_group(age))
            keep = (rng.random(idx.size) < SAME_TYPE_MOVE) & (
                previous[idx] != codes.SECURE_INSTITUTION
            )
            ptype = np.where(keep, previous[idx], fresh)
        duration = lognormal_days(rng, DURATION_MEDIAN[ptype], DURATION_SIGMA[ptype], idx.size)
        end = np.minimum(current[idx] + duration - 1, cap[idx])
        out["career"].append(idx)
        out["ptype"].append(ptype)
        out["start"].append(current[idx].copy())
        out["end"].append(end)
        previous[idx] = ptype
        gap = categorical(rng, MOVE_GAP, idx.size)
        current[idx] = end + gap
        last = (n_episodes[idx] <= k + 1) | (end >= cap[idx]) | (current[idx] > cap[idx])
        out["last"].append(last)
    return {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in out.items()}


def simulate(
    rng: np.random.Generator, birth: np.ndarray, placed_per_1000: float
) -> tuple[Careers, float]:
    """Placement careers for a population; also returns the calibrated share of children."""
    n = birth.size
    cap = dates.birthday(birth, 18).astype(np.int64) - 1
    start_age = age_offsets(rng, START_AGE_WEIGHTS, n)
    start = birth + start_age
    age_years = (start_age / DAYS_PER_YEAR).astype(np.int64)
    refugee = (age_years >= 13) & (rng.random(n) < REFUGEE_SHARE_OF_TEENS)
    disabled = ~refugee & (rng.random(n) < DISABILITY_SHARE)
    mixes = np.vstack([ENTRY_MIX, REFUGEE_MIX, DISABILITY_MIX])
    mix_row = np.where(refugee, 4, np.where(disabled, 5, _age_group(age_years)))

    first = _episodes(rng, birth, start, cap, mix_row, mixes)
    first_end = np.full(n, -1, dtype=np.int64)
    np.maximum.at(first_end, first["career"], first["end"])
    # Placed again after returning home (refugees turn 18 in their placement or leave).
    again = (first_end >= 0) & (first_end < cap - 180) & ~refugee & (rng.random(n) < SECOND_CAREER)
    second_start = first_end + uniform_days(rng, 180, 1000, n)
    again &= second_start <= cap
    idx2 = np.flatnonzero(again)
    second = _episodes(
        rng,
        birth[idx2],
        second_start[idx2],
        cap[idx2],
        _age_group(dates.age_on(birth[idx2], second_start[idx2])),
        mixes,
    )
    second["career"] = idx2[second["career"]]

    # Calibrate: keep each child's careers with probability p so that the expected number of
    # placed children on a day is placed_per_1000 per 1000 0-17-year-olds.
    days_placed = float(
        (first["end"] - first["start"] + 1).sum() + (second["end"] - second["start"] + 1).sum()
    )
    p = placed_per_1000 / 1000 * n * 18 * DAYS_PER_YEAR / days_placed
    keep_person = rng.random(n) < p

    parts = []
    for number, part in ((1, first), (2, second)):
        sel = keep_person[part["career"]]
        parts.append({k: v[sel] for k, v in part.items()} | {"number": np.full(sel.sum(), number)})
    person = np.concatenate([p_["career"] for p_ in parts])
    number = np.concatenate([p_["number"] for p_ in parts])
    ptype = np.concatenate([p_["ptype"] for p_ in parts]).astype(np.int8)
    ep_start = np.concatenate([p_["start"] for p_ in parts])
    ep_end = np.concatenate([p_["end"] for p_ in parts])
    last = np.concatenate([p_["last"] for p_ in parts])

    order = np.lexsort((ep_start, number, person))
    person, number, ptype, ep_start, ep_end, last = (
        a[order] for a in (person, number, ptype, ep_start, ep_end, last)
    )
    career_key = person * 2 + (number - 1)
    career_ids, career = np.unique(career_key, return_inverse=True)
    career_person = career_ids // 2
    career_start = np.full(career_ids.size, np.iinfo(np.int64).max)
    np.minimum.at(career_start, career, ep_start)
    career_end = np.full(career_ids.size, -1, dtype=np.int64)
    np.maximum.at(career_end, career, ep_end)
    career_capped = career_end >= cap[career_person]

    m = person.size
    capped = ep_end >= cap[person]
    reason_moved = categorical(rng, (0.45, 0.35, 0.20), m)  # planned / breakdown / other
    reason_home = categorical(rng, (0.70, 0.12, 0.18), m)
    end_reason = np.where(capped, codes.PLANNED, np.where(last, reason_home, reason_moved))

    label, dst_code = _labels(rng, ptype, ep_start)
    first_consent = rng.random(career_ids.size) >= NO_CONSENT
    consent = first_consent[career]
    provider = np.where(
        ptype == codes.MUNICIPAL_FOSTER_FAMILY,
        codes.INTERNAL,
        np.where(rng.random(m) < 0.35, codes.INTERNAL, codes.EXTERNAL),
    )
    kept = np.zeros(n, dtype=bool)
    kept[career_person] = True
    careers = Careers(
        person=person,
        career=career,
        ptype=ptype,
        label=label,
        dst_code=dst_code,
        start=ep_start,
        end=ep_end,
        end_reason=end_reason.astype(np.int8),
        consent=consent,
        provider=provider.astype(np.int8),
        career_person=career_person,
        career_start=career_start,
        career_end=career_end,
        career_capped=career_capped,
        career_number=(career_ids % 2 + 1).astype(np.int8),
        refugee=refugee & kept,
        disabled=disabled & kept,
    )
    return careers, p


def _labels(
    rng: np.random.Generator, ptype: np.ndarray, start: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Danish label index within the type, and the DST ANBRINGELSE code of each episode."""
    m = ptype.size
    n_labels = np.array([len(labels) for labels in codes.PLACEMENT_LABELS])
    label = (rng.random(m) * n_labels[ptype]).astype(np.int64)
    foster = ptype == codes.FOSTER_FAMILY
    # Before 2020 foster families were "generelt godkendt" (plejefamilie); then almen,
    # forstærket or specialiseret.
    modern = categorical(rng, (0.60, 0.30, 0.10), m) + 1
    label = np.where(foster, np.where(start >= FOSTER_RELABEL_FROM, modern, 0), label)
    # "Børne- og ungehjem" is the Barnets Lov name of a døgninstitution.
    residential = ptype == codes.RESIDENTIAL_INSTITUTION
    label = np.where(residential & (start < legal.BARNETS_LOV_FROM), 0, label)
    lut = np.zeros((len(codes.PLACEMENT_LABELS), n_labels.max()), dtype=np.int64)
    for t, labels in enumerate(codes.PLACEMENT_LABELS):
        for j, (_, dst) in enumerate(labels):
            lut[t, j] = dst
    dst_code = lut[ptype, label]
    # One residential placement in ten is in a partly closed ward (DST code 7).
    dst_code = np.where(residential & (rng.random(m) < 0.10), 7, dst_code)
    return label.astype(np.int8), dst_code.astype(np.int16)
