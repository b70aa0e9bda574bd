"""Vectorised parsers for the value formats of SPEC §8.

Each parser takes a Series of stripped text (empty string = no value) and returns the typed
values together with a mask of the rows whose non-empty text could not be read. An empty value
is never a parse failure: whether it is allowed is the contract's business.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_DATE_SHAPES = {
    "%Y-%m-%d": r"\d{4}-\d{1,2}-\d{1,2}",
    "%d-%m-%Y": r"\d{1,2}-\d{1,2}-\d{4}",
    "%d.%m.%Y": r"\d{1,2}\.\d{1,2}\.\d{4}",
}

_TRUE = ("1", "true", "ja", "j", "yes", "y", "sand")
_FALSE = ("0", "false", "nej", "n", "no", "falsk")
BOOLEAN_SPELLINGS: dict[str, bool] = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


class Parsed(NamedTuple):
    values: pd.Series
    bad: pd.Series  # bool: non-empty text that could not be read


def on_distinct(text: pd.Series, parse: Callable[[pd.Series], Parsed]) -> Parsed:
    """Parse each distinct text once and spread the result over the rows: an extract repeats
    the same dates, codes and labels thousands of times."""
    codes, distinct = pd.factorize(text)
    parsed = parse(pd.Series(distinct, dtype="string"))
    return Parsed(
        parsed.values.iloc[codes].set_axis(text.index),
        parsed.bad.iloc[codes].set_axis(text.index),
    )


def clean(text: pd.Series) -> pd.Series:
    """Trim spaces, non-breaking ones included, so that ' 2024-01-05 ' reads like '2024-01-05'."""
    return text.astype("string").fillna("").str.strip()


def _empty(text: pd.Series) -> pd.Series:
    return text.eq("")


def dates(text: pd.Series) -> Parsed:
    """YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY; 2024-02-30 is not a date."""
    values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    for fmt in DATE_FORMATS:
        shaped = text.str.fullmatch(_DATE_SHAPES[fmt]).fillna(False).astype(bool)
        if shaped.any():
            parsed = pd.to_datetime(text[shaped], format=fmt, errors="coerce")
            values.loc[shaped] = parsed.astype("datetime64[us]")
    return Parsed(values, ~_empty(text) & values.isna())


def booleans(text: pd.Series) -> Parsed:
    """1/0, true/false, ja/nej, j/n in any case; empty is false (SPEC §11)."""
    lowered = text.str.lower()
    mapped = lowered.map(BOOLEAN_SPELLINGS)
    bad = ~_empty(text) & mapped.isna()
    values = mapped.where(~_empty(text), False).fillna(False).astype(bool)
    return Parsed(values, bad)


def decimals(text: pd.Series) -> Parsed:
    """Decimal comma or point; with both, the last one is the decimal mark (1.234,50 = 1234.5)."""
    compact = text.str.replace(" ", "", regex=False).str.replace("\u2212", "-", regex=False)
    comma_last = compact.str.rfind(",") > compact.str.rfind(".")
    as_point = compact.where(~comma_last, compact.str.replace(".", "", regex=False))
    as_point = as_point.str.replace(",", ".", regex=False).where(
        comma_last, as_point.str.replace(",", "", regex=False)
    )
    shaped = as_point.str.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)").fillna(False).astype(bool)
    values = pd.to_numeric(as_point.where(shaped), errors="coerce").astype("Float64")
    return Parsed(values, ~_empty(text) & values.isna())


def enums(text: pd.Series, spellings: dict[str, str]) -> Parsed:
    """A code from a fixed list; Danish labels and any letter case accepted."""
    normalised = text.str.lower().str.replace(r"\s+", " ", regex=True)
    values = normalised.map(spellings).astype("string")
    return Parsed(values, ~_empty(text) & values.isna())


def identifiers(text: pd.Series) -> Parsed:
    values = text.astype("string").where(~_empty(text))
    return Parsed(values, pd.Series(False, index=text.index))


def months(text: pd.Series) -> Parsed:
    """YYYY-MM (also YYYY-M); returned as the first day of the month."""
    shaped = text.str.fullmatch(r"\d{4}-\d{1,2}").fillna(False).astype(bool)
    values = pd.to_datetime(text.where(shaped) + "-01", format="%Y-%m-%d", errors="coerce")
    values = values.astype("datetime64[us]")
    return Parsed(values, ~_empty(text) & values.isna())


def school_years(text: pd.Series) -> Parsed:
    """2010/11 or 2010/2011 -> '2010/11'; the second year must follow the first."""
    parts = text.str.extract(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
    first = pd.to_numeric(parts[0], errors="coerce").astype("float64")
    second = pd.to_numeric(parts[1], errors="coerce").astype("float64")
    second_full = second.where(second >= 1000, first // 100 * 100 + second)
    # 1999/00: the short form wraps into the next century.
    second_full = second_full.where(second_full > first, second_full + 100)
    ok = first.notna() & second_full.eq(first + 1)
    start = first.where(ok).astype("Int64").astype("string")
    end = (second_full.where(ok) % 100).astype("Int64").astype("string").str.zfill(2)
    return Parsed((start + "/" + end).astype("string"), ~_empty(text) & ~ok)


def accounts(text: pd.Series) -> Parsed:
    """Municipal chart of accounts: 5.28.21, 52821 and 5.28.21.01 -> dotted form.

    Digit groups are 1-2-2(-2...): main function, group, function, then sub-accounts.
    """
    digits = text.str.replace(".", "", regex=False).str.replace(" ", "", regex=False)
    shaped_digits = digits.str.fullmatch(r"\d{5}(\d{2})*").fillna(False).astype(bool)
    dotted_input = text.str.fullmatch(r"\d\.\d{2}\.\d{2}(\.\d{2})*").fillna(False).astype(bool)
    plain_input = text.str.fullmatch(r"\d{5}(\d{2})*").fillna(False).astype(bool)
    ok = shaped_digits & (dotted_input | plain_input)
    head = digits.str.slice(0, 1) + "." + digits.str.slice(1, 3) + "." + digits.str.slice(3, 5)
    tail = digits.str.slice(5).str.replace(r"(\d{2})", r".\1", regex=True)
    values = (head + tail).where(ok).astype("string")
    return Parsed(values, ~_empty(text) & ~ok)


def texts(text: pd.Series) -> Parsed:
    return identifiers(text)
