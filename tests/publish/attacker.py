"""An attacker who tries to work out suppressed counts from the published rows by arithmetic.

For each municipality and cut-off date the unknowns are every indicator's numerator (N:id) and
denominator (D:id). The attacker knows:
- every published (not suppressed) numerator and denominator;
- the population 0-17 (FOLK1A is public), i.e. every per-1000 denominator;
- how the indicators hang together: 1 = 1.1 + 1.2 + 1.3 with 1.x over 1's persons; 2 and 2.x
  average over the persons of 1 and 1.x (and 2's days are the sum of 2.x's); 7 = 7.1 + 7.2 on
  one base; and, when the data happen to make them exact, 5 = 5.1 + 5.2 + 5.3 and 12's persons
  and follow-ups = the sums of 12.1-12.3 (an attacker may guess that; we give it to them
  whenever it is true).
Counts are non-negative and a share's numerator is at most its denominator. For every
suppressed count that really is small (1 .. t-1, including the persons outside a share's
numerator) it solves two linear programs, for the smallest and largest value the published
figures allow. A range narrower than 1 means the count is recovered. Integer constraints are
relaxed, which can only widen the ranges; the test therefore asks for a range of at least 1
rather than trusting rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

# identity name -> {variable: coefficient}; each says sum(coefficient x variable) = 0
IDENTITIES: dict[str, dict[str, float]] = {
    "1 = 1.1 + 1.2 + 1.3": {"N:1": 1, "N:1.1": -1, "N:1.2": -1, "N:1.3": -1},
    **{f"D:1.{i} = N:1": {f"D:1.{i}": 1, "N:1": -1} for i in (1, 2, 3)},
    "D:2 = N:1": {"D:2": 1, "N:1": -1},
    **{f"D:2.{i} = N:1.{i}": {f"D:2.{i}": 1, f"N:1.{i}": -1} for i in (1, 2, 3)},
    "days 2 = 2.1 + 2.2 + 2.3": {"N:2": 1, "N:2.1": -1, "N:2.2": -1, "N:2.3": -1},
    "D:7.1 = D:7": {"D:7.1": 1, "D:7": -1},
    "D:7.2 = D:7": {"D:7.2": 1, "D:7": -1},
    "7 = 7.1 + 7.2": {"N:7": 1, "N:7.1": -1, "N:7.2": -1},
    "5 = 5.1 + 5.2 + 5.3": {"N:5": 1, "N:5.1": -1, "N:5.2": -1, "N:5.3": -1},
    "12 = sum of 12.x (follow-ups)": {"N:12": 1, "N:12.1": -1, "N:12.2": -1, "N:12.3": -1},
    "12 = sum of 12.x (persons)": {"D:12": 1, "D:12.1": -1, "D:12.2": -1, "D:12.3": -1},
}
COUNT_UNITS = {"per_1000", "count", "percent", "days", "per_person"}


@dataclass(frozen=True)
class Attempt:
    municipality_code: str
    cutoff_date: object
    target: str
    true_value: float
    low: float
    high: float

    @property
    def recovered(self) -> bool:
        return self.high - self.low < 1 - 1e-6


def small_targets(row: pd.Series, threshold: int) -> dict[str, dict[str, float]]:
    """The counts of a row that really are small, as linear expressions."""
    indicator, unit = row["indicator_id"], row["unit"]
    n, d = f"N:{indicator}", f"D:{indicator}"
    candidates: dict[str, tuple[dict[str, float], float]] = {}
    if unit in ("per_1000", "count"):
        candidates[n] = ({n: 1}, row["numerator"])
    elif unit == "percent":
        candidates[n] = ({n: 1}, row["numerator"])
        candidates[d] = ({d: 1}, row["denominator"])
        candidates[f"{d} - {n}"] = ({d: 1, n: -1}, row["denominator"] - row["numerator"])
    elif unit == "days":
        candidates[d] = ({d: 1}, row["denominator"])
    elif unit == "per_person":
        candidates[n] = ({n: 1}, row["numerator"])
        candidates[d] = ({d: 1}, row["denominator"])
    return {
        name: expression
        for name, (expression, value) in candidates.items()
        if pd.notna(value) and 1 <= value < threshold
    }


def attack(published: pd.DataFrame, truth: pd.DataFrame, threshold: int) -> list[Attempt]:
    """Try every suppressed small count of `published` (rows as BI sees them); `truth` is
    marts.indicator_values (to know which counts are small and which identities hold)."""
    attempts: list[Attempt] = []
    keys = ["municipality_code", "cutoff_date"]
    for (code, cutoff), shown in published.groupby(keys):
        real = truth[(truth["municipality_code"] == code) & (truth["cutoff_date"] == cutoff)]
        attempts += _attack_one(str(code), cutoff, shown, real, threshold)
    return attempts


def _attack_one(
    code: str, cutoff: object, shown: pd.DataFrame, real: pd.DataFrame, threshold: int
) -> list[Attempt]:
    real = real[real["status"] == "ok"].set_index("indicator_id")
    true_values: dict[str, float] = {}
    for indicator, row in real.iterrows():
        if row["unit"] not in COUNT_UNITS:
            continue
        true_values[f"N:{indicator}"] = float(row["numerator"])
        if pd.notna(row["denominator"]):
            true_values[f"D:{indicator}"] = float(row["denominator"])
    variables = sorted(true_values)
    column = {name: i for i, name in enumerate(variables)}
    rows: list[np.ndarray] = []
    rhs: list[float] = []

    def equation(coefficients: dict[str, float], value: float) -> None:
        vector = np.zeros(len(variables))
        for name, coefficient in coefficients.items():
            vector[column[name]] = coefficient
        rows.append(vector)
        rhs.append(value)

    for coefficients in IDENTITIES.values():
        if all(name in column for name in coefficients) and np.isclose(
            sum(c * true_values[name] for name, c in coefficients.items()), 0
        ):
            equation(coefficients, 0.0)
    for indicator, row in real.iterrows():
        if row["unit"] == "per_1000" and f"D:{indicator}" in column:
            equation({f"D:{indicator}": 1}, float(row["denominator"]))  # FOLK1A is public
    visible = shown[(shown["status"] == "ok") & ~shown["suppressed"].astype(bool)]
    for _, row in visible.iterrows():
        for prefix, field in (("N", "numerator"), ("D", "denominator")):
            name = f"{prefix}:{row['indicator_id']}"
            if name in column and pd.notna(row[field]):
                equation({name: 1}, float(row[field]))
    a_eq = np.vstack(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    # A share's numerator is part of its denominator.
    upper: list[np.ndarray] = []
    for indicator, row in real.iterrows():
        if row["unit"] == "percent" and f"D:{indicator}" in column:
            vector = np.zeros(len(variables))
            vector[column[f"N:{indicator}"]] = 1
            vector[column[f"D:{indicator}"]] = -1
            upper.append(vector)
    a_ub = np.vstack(upper) if upper else None
    b_ub = np.zeros(len(upper)) if upper else None
    bounds = [(0, None)] * len(variables)
    attempts: list[Attempt] = []
    hidden = shown[(shown["status"] == "ok") & shown["suppressed"].astype(bool)]
    for indicator in hidden["indicator_id"]:
        if indicator not in real.index:
            continue
        true_row = real.loc[indicator].copy()
        true_row["indicator_id"] = indicator
        for target, expression in small_targets(true_row, threshold).items():
            objective = np.zeros(len(variables))
            for name, coefficient in expression.items():
                objective[column[name]] = coefficient
            low = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds)
            high = linprog(-objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds)
            true = sum(c * true_values[name] for name, c in expression.items())
            lowest = low.fun if low.status == 0 else -np.inf
            highest = -high.fun if high.status == 0 else np.inf
            attempts.append(Attempt(code, cutoff, target, true, lowest, highest))
    return attempts


def primary_only(truth: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """What the published rows would be with primary suppression only (no secondary, no
    hiding of parts with their total): the negative control the attacker must break."""
    rows = truth.copy()
    hide = rows.apply(lambda row: bool(small_targets(row, threshold)), axis=1)
    rows["suppressed"] = hide & (rows["status"] == "ok")
    rows.loc[rows["suppressed"], ["numerator", "denominator", "value"]] = np.nan
    return rows
