"""Random draws the simulation modules share: streams, categories, durations, ages."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

DAYS_PER_YEAR = 365.25


def stream(seed: int, municipality_code: int, name: str) -> np.random.Generator:
    """An independent generator per (seed, municipality, purpose).

    Separate streams keep a change in one part of the simulation from reshuffling every
    other part, and make each municipality's data independent of which others are generated.
    """
    return np.random.default_rng([seed, municipality_code, zlib.crc32(name.encode())])


def categorical(rng: np.random.Generator, probs: Sequence[float], size: int) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    cum = np.cumsum(p / p.sum())
    return np.minimum(np.searchsorted(cum, rng.random(size), side="right"), p.size - 1)


def categorical_by_row(rng: np.random.Generator, table: np.ndarray, row: np.ndarray) -> np.ndarray:
    """One category per element, drawn from the probability row `table[row]`."""
    cum = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(row.size)
    return np.minimum((u[:, None] >= cum[row]).sum(axis=1), table.shape[1] - 1)


def lognormal_days(
    rng: np.random.Generator, median: float | np.ndarray, sigma: float | np.ndarray, size: int
) -> np.ndarray:
    """Durations in days (at least 1) with the given median and log-scale spread."""
    values = np.exp(np.log(median) + sigma * rng.standard_normal(size))
    return np.maximum(np.rint(values), 1).astype(np.int64)


def uniform_days(rng: np.random.Generator, low: int, high: int, size: int) -> np.ndarray:
    """Whole days in [low, high]."""
    return rng.integers(low, high + 1, size=size, dtype=np.int64)


def age_offsets(rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    """Days from birth to an event, with the year of age drawn from `weights` (ages 0, 1, ...)."""
    years = categorical(rng, weights, size)
    return np.floor((years + rng.random(size)) * DAYS_PER_YEAR).astype(np.int64)


def first_of_runs(keys: np.ndarray) -> np.ndarray:
    """For a sorted key array, whether each element starts a run of equal keys."""
    return np.r_[True, keys[1:] != keys[:-1]][: keys.size]


def group_starts(keys: np.ndarray) -> np.ndarray:
    """For a sorted key array, the rank of each element within its run of equal keys."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    first = first_of_runs(keys)
    start = np.maximum.accumulate(np.where(first, np.arange(keys.size), 0))
    return np.arange(keys.size) - start


def repeat_ranges(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner index, position 0..count-1) for expanding each row into `counts` rows."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(counts.size), counts)
    position = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, position
