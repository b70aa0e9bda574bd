"""StatBank period codes (`TID`): `2023` for a year, `2023K4` for a quarter.

With `lang=da` DST writes quarters as `K` (kvartal); `2023Q4` (what `lang=en` gives) is read too
and normalised to `2023K4`, so a snapshot fetched in English still parses the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:[KQ](?P<quarter>[1-4]))?$")


@dataclass(frozen=True)
class Period:
    code: str  # normalised: '2023' or '2023K4'
    year: int
    quarter: int | None
    start: date  # first day of the period

    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None


def parse_period(raw: str) -> Period:
    """Parse a year or quarter code; ValueError for anything else (months, weeks, text)."""
    match = _PERIOD.fullmatch(raw.strip())
    if match is None:
        raise ValueError(f"{raw!r} is not a StatBank year ('2023') or quarter ('2023K4')")
    year = int(match["year"])
    if match["quarter"] is None:
        return Period(code=str(year), year=year, quarter=None, start=date(year, 1, 1))
    quarter = int(match["quarter"])
    return Period(
        code=f"{year}K{quarter}",
        year=year,
        quarter=quarter,
        start=date(year, 3 * (quarter - 1) + 1, 1),
    )
