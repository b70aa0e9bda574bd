"""Obviously synthetic CPR numbers: DDMMYY-SSSS with a running serial per birth day.

SPEC §3: digits 1-6 are the birth date, the 7th digit and YY give the century, an odd last
digit is male. Real serials look random; these never do. Every person gets the next free
serial of their birth day and sex, starting at the smallest serial the century digit
allows: born 1900-1999 -> 7th digit 0 (boys 0001, 0003, ...; girls 0002, 0004, ...), born
2000-2036 -> 7th digit 4 (boys 4001, 4003, ...; girls 4002, 4004, ...). A reader sees at a
glance that 4001 or 0002 is a counter, and no modulus-11 rule is applied (SPEC §3).

The counter is national: it runs on across municipalities, so two municipalities never
share a CPR number.
"""

from __future__ import annotations

import numpy as np

from demo import dates, text
from demo.sampling import group_starts

_FIRST_DAY = dates.day("1900-01-01")
_LAST_DAY = dates.day("2036-12-31")


class SerialCounter:
    """Hands out serials per (birth day, sex), in the order persons are registered."""

    def __init__(self) -> None:
        self._used = np.zeros((_LAST_DAY - _FIRST_DAY + 1, 2), dtype=np.int32)

    def assign(self, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
        """Serials for persons in the given order (a stable order makes them deterministic)."""
        birth = np.asarray(birth, dtype=np.int64)
        if birth.size == 0:
            return np.zeros(0, dtype=np.int32)
        if birth.min() < _FIRST_DAY or birth.max() > _LAST_DAY:
            raise ValueError("CPR numbers are only generated for births 1900-2036")
        sex = np.where(male, 0, 1)
        key = (birth - _FIRST_DAY) * 2 + sex
        order = np.argsort(key, kind="stable")
        rank = np.empty(key.size, dtype=np.int64)
        rank[order] = group_starts(key[order])
        offset = self._used[birth - _FIRST_DAY, sex] + rank
        np.add.at(self._used, (birth - _FIRST_DAY, sex), 1)
        year = dates.split(birth)[0]
        century_digit = np.where(year >= 2000, 4, 0)
        # Boys odd, girls even: base + 1 + 2k for boys, base + 2 + 2k for girls.
        serial = century_digit * 1000 + 1 + sex + 2 * offset
        if np.any(serial // 1000 != century_digit):
            raise ValueError("more persons on one birth day than the demo serial range holds")
        return serial.astype(np.int32)


def format_cpr(birth: np.ndarray, serial: np.ndarray, hyphen: bool | np.ndarray) -> np.ndarray:
    """CPR numbers as text, DDMMYY-SSSS or DDMMYYSSSS."""
    head = dates.cpr_date_part(birth)
    tail = text.zfill(serial, 4)
    sep = np.where(np.broadcast_to(hyphen, head.shape), "-", "").astype(object)
    return text.concat(head, sep, tail)


def century(seventh_digit: int, yy: int) -> int:
    """The century rule of SPEC §3 (used by the tests to check every generated number)."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800
