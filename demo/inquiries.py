"""Inquiries (henvendelser / underretninger) by channel and outcome, for goal S3.

Not linked to persons. Slagelse's goal (seed 001) is more local efforts via schools and
daycare, so the share handled by a LOCAL_EFFORT rises over the decade everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import dates
from demo.sampling import categorical

PER_1000_CHILDREN_PER_YEAR = 40.0
FIRST = dates.day("2016-01-01")


def simulate(rng: np.random.Generator, children_0_17: float, horizon: int) -> pd.DataFrame:
    years = (horizon - FIRST + 1) / 365.25
    n = int(rng.poisson(PER_1000_CHILDREN_PER_YEAR * children_0_17 / 1000 * years))
    day = np.sort(FIRST + np.floor(rng.random(n) * (horizon - FIRST + 1)).astype(np.int64))
    channel = categorical(rng, (0.35, 0.15, 0.50), n)
    progress = (day - FIRST) / max(horizon - FIRST, 1)
    local_share = np.where(channel == 2, 0.08, 0.15 + 0.20 * progress)
    u = rng.random(n)
    outcome = np.where(u < local_share, 0, np.where(u < local_share + 0.30, 1, 2))
    return pd.DataFrame({"day": day, "channel": channel, "outcome": outcome})
