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


def birth_dates(cpr: pd.Series) -> pd.Series:
    """Birth date per CPR number (datetime64), NaT where the number is malformed or no real date."""
    text = cpr.astype("string").str.strip()
    ok = text.str.fullmatch(_WELL_FORMED).fillna(False).astype(bool)
    digits = text.str.replace("-", "", regex=False).where(ok)
    day, month, yy, seventh = (
        pd.to_numeric(digits.str.slice(start, stop), errors="coerce").astype("float64")
        for start, stop in ((0, 2), (2, 4), (4, 6), (6, 7))
    )
    century = np.select(
        [
            seventh.le(3),
            seventh.isin([4, 9]) & yy.le(36),
            seventh.isin([4, 9]),
            seventh.between(5, 8) & yy.le(57),
            seventh.between(5, 8),
        ],
        [1900, 2000, 1900, 2000, 1800],
        default=np.nan,
    )
    year = century + yy
    parts = pd.DataFrame({"year": year, "month": month, "day": day}, index=cpr.index)
    # errors="coerce" turns 31 February and month 13 into NaT: "not a real date" (SPEC §3).
    return pd.to_datetime(parts, errors="coerce")


def sexes(cpr: pd.Series) -> pd.Series:
    """'M' for an odd last digit, 'F' for an even one, missing for a malformed number."""
    text = cpr.astype("string").str.strip()
    last = pd.to_numeric(text.str.slice(-1), errors="coerce").astype("float64")
    sex = pd.Series(np.where(last % 2 == 1, "M", "F"), index=cpr.index, dtype="string")
    return sex.where(birth_dates(cpr).notna())


def pseudonymise(cpr: pd.Series, key: bytes) -> pd.Series:
    """HMAC-SHA256 (hex) of each canonical CPR number; missing stays missing.

    Malformed values are pseudonymised too, so a quarantined row can still be traced by the
    municipality (which holds the key) without the number itself being stored.
    """
    canon = canonical(cpr)
    present = canon.notna() & canon.ne("")
    distinct = canon[present].unique()
    digests = {value: hmac.digest(key, value.encode("utf-8"), sha256).hex() for value in distinct}
    return canon.map(digests).astype("string").where(present)
