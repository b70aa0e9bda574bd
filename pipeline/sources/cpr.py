"""CPR numbers at the door: birth date and sex are read, then the number is replaced by a pseudonym.

SPEC §3: DDMMYY-SSSS; the 7th digit and YY give the century; an odd last digit is male. Since
2007 a valid CPR number need not pass the modulus-11 check, so it is never applied here.
SPEC §10: the pseudonym is HMAC-SHA256 with a secret key. An unkeyed hash would not do: there are
only a few million CPR numbers, so anyone could hash them all and reverse the table.

Everything here works on whole pandas Series. The HMAC itself runs once per distinct number
through the standard library's `hmac` (no hand-written cryptography); there are far fewer
distinct numbers than rows.
"""

from __future__ import annotations

import hmac
from hashlib import sha256

import numpy as np
import pandas as pd

_WELL_FORMED = r"\d{6}-?\d{4}"


def canonical(cpr: pd.Series) -> pd.Series:
    """Strip spaces and the hyphen, so 010115-4001 and 0101154001 are one person."""
    return cpr.astype("string").str.strip().str.replace("-", "", regex=False)


def _digits(cpr: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(well-formed mask, n x 10 matrix of the digits); malformed rows get zeros."""
    text = cpr.astype("string").str.strip()
    ok = text.str.fullmatch(_WELL_FORMED).fillna(False).to_numpy(dtype=bool)
    canon = text.str.replace("-", "", regex=False).where(ok, "0000000000")
    # Ten ASCII digits per number: one byte buffer, read as a matrix of digit values.
    buffer = "".join(canon.tolist()).encode("ascii")
    digits = np.frombuffer(buffer, dtype=np.uint8).reshape(-1, 10).astype(np.int64) - 48
    return ok, digits


def birth_dates(cpr: pd.Series) -> pd.Series:
    """Birth date per CPR number (datetime64), NaT where the number is malformed or no real date."""
    ok, d = _digits(cpr)
    day, month, yy, seventh = (
        d[:, 0] * 10 + d[:, 1],
        d[:, 2] * 10 + d[:, 3],
        d[:, 4] * 10 + d[:, 5],
        d[:, 6],
    )
    century = np.select(
        [
            seventh <= 3,
            np.isin(seventh, [4, 9]) & (yy <= 36),
            np.isin(seventh, [4, 9]),
            (seventh >= 5) & (seventh <= 8) & (yy <= 57),
        ],
        [1900, 2000, 1900, 2000],
        default=1800,
    )
    parts = pd.DataFrame(
        {
            "year": np.where(ok, century + yy, np.nan),
            "month": np.where(ok, month, np.nan),
            "day": np.where(ok, day, np.nan),
        },
        index=cpr.index,
    )
    # errors="coerce" turns 31 February and month 13 into NaT: "not a real date" (SPEC §3).
    return pd.to_datetime(parts, errors="coerce")


def sexes(cpr: pd.Series, births: pd.Series | None = None) -> pd.Series:
    """'M' for an odd last digit, 'F' for an even one, missing for an invalid number."""
    _, d = _digits(cpr)
    born = birth_dates(cpr) if births is None else births
    sex = pd.Series(np.where(d[:, 9] % 2 == 1, "M", "F"), index=cpr.index, dtype="string")
    return sex.where(born.notna())


def pseudonymise(cpr: pd.Series, key: bytes, known: dict[str, str] | None = None) -> pd.Series:
    """HMAC-SHA256 (hex) of each canonical CPR number; missing stays missing.

    Malformed values are pseudonymised too, so a quarantined row can still be traced by the
    municipality (which holds the key) without the number itself being stored. `known` caches
    pseudonyms across calls (the files of one delivery share their persons); it lives in memory
    only, for one batch, and is never written anywhere.
    """
    canon = canonical(cpr)
    present = canon.notna() & canon.ne("")
    digests = {} if known is None else known
    wanted: dict[str, str] = {}
    for value in canon[present].unique().tolist():
        if value not in digests:
            digests[value] = hmac.digest(key, value.encode("utf-8"), sha256).hex()
        wanted[value] = digests[value]
    # Map with this column's numbers only: pandas turns the mapping into an index first, and
    # the cache holds every person of the batch's deliveries.
    return canon.map(wanted).astype("string").where(present)
