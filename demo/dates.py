"""Day numbers, calendar arithmetic and date formatting, all vectorised.

The generator keeps every date as an int32 day number counted from 1900-01-01, so that a
whole municipality's history is a handful of numpy arrays. Day numbers are positive for
every date the demo uses (adults are born after 1930), which frees -1 as "no date".
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

EPOCH = np.datetime64("1900-01-01", "D")
NO_DATE = -1

# The formatter covers this range; nothing the generator writes lies outside it.
_LUT_FIRST = date(1930, 1, 1)
_LUT_LAST = date(2045, 12, 31)

ISO = "%Y-%m-%d"
DMY_DASH = "%d-%m-%Y"
DMY_DOT = "%d.%m.%Y"
DATE_FORMATS = (ISO, DMY_DASH, DMY_DOT)


def day(d: date | str) -> int:
    """The day number of one date."""
    value = np.datetime64(d, "D") if isinstance(d, str) else np.datetime64(d.isoformat(), "D")
    return int((value - EPOCH).astype(np.int64))


def to_date(day_number: int) -> date:
    return date.fromisoformat(str(EPOCH + np.timedelta64(int(day_number), "D")))


def split(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day of month of each day number."""
    dt = EPOCH + days.astype("timedelta64[D]")
    months = dt.astype("datetime64[M]")
    years = dt.astype("datetime64[Y]")
    year = years.astype(np.int64) + 1970
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    dom = (dt - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, dom


def from_parts(year: np.ndarray, month: np.ndarray, dom: np.ndarray) -> np.ndarray:
    """Day numbers from year, month and day of month.

    A day of month past the month's end rolls over into the next month, so 29 February plus
    a year is 1 March: the day a person born on 29 February turns a year older (SPEC §11).
    """
    months = ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")
    dt = months.astype("datetime64[D]") + (dom - 1).astype("timedelta64[D]")
    return (dt - EPOCH).astype(np.int32)


def add_years(days: np.ndarray, years: int | np.ndarray) -> np.ndarray:
    """The same calendar day `years` later (29 February rolls to 1 March)."""
    y, m, d = split(days)
    return from_parts(y + years, m, d)


def birthday(birth: np.ndarray, age: int | np.ndarray) -> np.ndarray:
    """The day a person born on `birth` turns `age`."""
    return add_years(birth, age)


def age_on(birth: np.ndarray, on_day: int | np.ndarray) -> np.ndarray:
    """Whole years since birth on the given day(s) (SPEC §2)."""
    by, bm, bd = split(np.asarray(birth))
    dy, dm, dd = split(np.broadcast_to(np.asarray(on_day, dtype=np.int64), np.shape(birth)))
    before_birthday = (dm * 100 + dd) < (bm * 100 + bd)
    return (dy - by - before_birthday).astype(np.int32)


def year_start(year: int) -> int:
    return day(date(year, 1, 1))


@lru_cache(maxsize=8)
def _lut(fmt: str) -> np.ndarray:
    index = pd.date_range(_LUT_FIRST, _LUT_LAST, freq="D")
    return np.asarray(index.strftime(fmt), dtype=object)


_LUT_OFFSET = (np.datetime64(_LUT_FIRST.isoformat(), "D") - EPOCH).astype(np.int64)


def format_days(days: np.ndarray, fmt: str) -> np.ndarray:
    """Day numbers as text in one of the formats; NO_DATE becomes an empty string."""
    days = np.asarray(days)
    lut = _lut(fmt)
    missing = days == NO_DATE
    idx = np.where(missing, 0, days - _LUT_OFFSET)
    if idx.size and (idx.min() < 0 or idx.max() >= lut.size):
        raise ValueError("a date lies outside the range the demo formatter covers")
    out = lut[idx]
    out[missing] = ""
    return out


def cpr_date_part(birth: np.ndarray) -> np.ndarray:
    """DDMMYY of each birth day (the first six digits of a CPR number)."""
    return format_days(birth, "%d%m%y")
