"""Monthly net expenses on function 5.28, derived from the simulated caseload.

Each month's gross cost is the number of active measures mid-month times a monthly unit
cost of its kind (2024 price level, deflated about 2 % a year), with some noise. Income
(betalinger fra andre kommuner, refusion for særligt dyre enkeltsager) is written as
negative rows. Every account has at least one row in every month of the history, as a real
finance extract would.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import codes, dates

FIRST_MONTH = (2016, 1)

# DKK per active measure per month at 2024 prices.
PLACEMENT_COST = np.array([38_000, 30_000, 12_000, 95_000, 185_000, 78_000, 22_000, 28_000, 45_000])
CATEGORY_COST = {
    codes.OFFER: 2_000,
    codes.HOME_BASED: 7_500,
    codes.PARENT_DIRECTED: 4_000,
    codes.ORDER: 1_000,
}
# Account (index into codes.ACCOUNTS) per placement type.
PLACEMENT_ACCOUNT = np.array([2, 2, 2, 3, 4, 0, 3, 3, 3])
PREVENTIVE_ACCOUNT = 1


def months_until(last_day: int) -> list[tuple[int, int, int]]:
    """(year, month, mid-month day) of every complete month from 2016-01 up to last_day."""
    out = []
    year, month = FIRST_MONTH
    while True:
        month_end = dates.from_parts(np.array([year]), np.array([month + 1]), np.array([0]))[0]
        if month_end > last_day:
            return out
        out.append((year, month, dates.day(f"{year}-{month:02d}-15")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _active(start: np.ndarray, end: np.ndarray, days: np.ndarray) -> np.ndarray:
    s, e = np.sort(start), np.sort(end)
    return np.searchsorted(s, days, side="right") - np.searchsorted(e, days, side="left")


def simulate(rng: np.random.Generator, measures: pd.DataFrame, horizon: int) -> pd.DataFrame:
    months = months_until(horizon)
    mid = np.array([m[2] for m in months])
    gross = np.zeros((len(codes.ACCOUNTS), mid.size))
    start = measures["start"].to_numpy()
    end = measures["end"].to_numpy()
    category = measures["category"].to_numpy()
    ptype = measures["ptype"].to_numpy()
    for t, cost in enumerate(PLACEMENT_COST):
        sel = (category == codes.PLACEMENT) & (ptype == t)
        gross[PLACEMENT_ACCOUNT[t]] += cost * _active(start[sel], end[sel], mid)
    for cat, cost in CATEGORY_COST.items():
        sel = category == cat
        gross[PREVENTIVE_ACCOUNT] += cost * _active(start[sel], end[sel], mid)
    year = np.array([m[0] for m in months]) + (np.array([m[1] for m in months]) - 1) / 12
    price = 1.0 - 0.02 * (2024.5 - year)
    # Administration, overhead and out-of-municipality purchases nobody sees in a case file.
    floor = 25_000 + 0.02 * gross.mean(axis=1, keepdims=True)
    gross = (gross + floor) * price * rng.normal(1.0, 0.05, gross.shape)
    rows = []
    for a in range(len(codes.ACCOUNTS)):
        for i, (y, m, _) in enumerate(months):
            rows.append((y, m, a, 1, round(float(gross[a, i]), 2)))
    out = pd.DataFrame(rows, columns=["year", "month", "account", "sub", "amount"])
    # Income: monthly payments from other municipalities on institutions, quarterly refunds
    # of especially expensive cases on preventive measures and placements.
    income = out[
        (out["account"].isin((3, 4)))
        | ((out["account"] != PREVENTIVE_ACCOUNT) & (out["month"] % 3 == 0))
    ].copy()
    income["amount"] = np.round(-income["amount"] * rng.uniform(0.03, 0.12, len(income)), 2)
    income["sub"] = 2
    out = pd.concat([out, income], ignore_index=True)
    return out.sort_values(["year", "month", "account", "sub"], kind="stable").reset_index(
        drop=True
    )
