"""95 % confidence intervals for the published indicators (SPEC §10), in one place.

- Shares (percent): the Wilson score interval (Wilson 1927), which behaves at 0/n and n/n and in
  small samples where the textbook Wald interval collapses or leaves [0, 1].
- Counts and rates per 1000: the exact Poisson interval of Garwood (1936), from chi-square
  quantiles: lower = chi2(alpha/2; 2k) / 2, upper = chi2(1 - alpha/2; 2k + 2) / 2, with the
  lower limit 0 when k = 0. A rate per 1000 scales the count's limits by 1000 / population; the
  population (FOLK1A) is treated as known.

The quantiles come from scipy.special: chi2(q; 2k) / 2 is gammaincinv(k, q), the inverse of the
regularised incomplete gamma function, which is what scipy.stats.chi2.ppf computes; the normal
quantile is ndtri. Not scipy.stats itself: it is slow to import (benchmarks/README.md, item 23), and
every dbt call of a run loads this module (profiles.yml).

dbt computes the published intervals with these same functions: `pipeline.dbt.functions`
registers them as DuckDB functions on dbt's connection, so the SQL of the publication models and
the tests share one implementation.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

CONFIDENCE = 0.95
_ALPHA = 1 - CONFIDENCE
Z = float(special.ndtri(1 - _ALPHA / 2))  # 1.959963984540054

FloatArray = npt.NDArray[np.float64]


def wilson_interval(
    successes: npt.ArrayLike, trials: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval of a proportion (0-1). NaN where trials is 0 or either is missing,
    or successes lies outside 0..trials."""
    x = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    valid = (n > 0) & (x >= 0) & (x <= n)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        z2 = Z * Z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z / (1 + z2 / n) * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At 0/n and n/n the limits are exactly 0 and 1; rounding would leave 1e-17 off.
    low = np.where(x == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(x == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return np.where(valid, low, np.nan), np.where(valid, high, np.nan)


def poisson_exact_interval(counts: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Garwood's exact interval for the mean of a Poisson count. NaN for a missing or negative
    count. Counts are whole numbers; a fraction is rounded to the nearest one."""
    k = np.round(np.asarray(counts, dtype=np.float64))
    valid = k >= 0
    safe = np.where(valid, k, 0.0)
    with np.errstate(invalid="ignore"):
        low = np.where(safe > 0, special.gammaincinv(safe, _ALPHA / 2), 0.0)
        high = special.gammaincinv(safe + 1, 1 - _ALPHA / 2)
    return np.where(valid, low, np.nan), np.where(valid, high, np.nan)
