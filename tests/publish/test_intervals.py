"""The 95 % intervals against published reference values.

Wilson score interval: Newcombe RG (1998), "Two-sided confidence intervals for the single
proportion: comparison of seven methods", Statistics in Medicine 17:857-872, Table II, method 3
(score interval without continuity correction), examples (a)-(d): 81/263, 15/148, 0/20, 1/29.

Exact Poisson (Garwood 1936) limits for an observed count k, 95 %: the standard table, e.g.
Ulm K (1990), "A simple method to calculate the confidence interval of a standard mortality
ratio", American Journal of Epidemiology 131:373-375, Table 1 (and Sahai & Khurshid 1993):
k = 0: 0-3.689; 1: 0.0253-5.572; 2: 0.2422-7.225; 3: 0.6186-8.767; 4: 1.090-10.242;
5: 1.623-11.668; 10: 4.795-18.390.
"""

import duckdb
import numpy as np
import pytest

from pipeline.dbt.functions import register_interval_functions
from pipeline.publish.intervals import Z, poisson_exact_interval, wilson_interval

NEWCOMBE_WILSON = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]
GARWOOD = [
    (0, 0.0, 3.689),
    (1, 0.0253, 5.572),
    (2, 0.2422, 7.225),
    (3, 0.6186, 8.767),
    (4, 1.090, 10.242),
    (5, 1.623, 11.668),
    (10, 4.795, 18.390),
]


def test_z_is_the_two_sided_95_percent_quantile():
    assert pytest.approx(1.959964, abs=1e-6) == Z


@pytest.mark.parametrize(("x", "n", "low", "high"), NEWCOMBE_WILSON)
def test_wilson_matches_newcombe_1998(x, n, low, high):
    found_low, found_high = wilson_interval([x], [n])
    assert found_low[0] == pytest.approx(low, abs=5e-5)
    assert found_high[0] == pytest.approx(high, abs=5e-5)


@pytest.mark.parametrize(("k", "low", "high"), GARWOOD)
def test_exact_poisson_matches_the_garwood_table(k, low, high):
    found_low, found_high = poisson_exact_interval([k])
    assert found_low[0] == pytest.approx(low, abs=6e-4)
    assert found_high[0] == pytest.approx(high, abs=6e-4)


def test_no_interval_without_trials_or_with_impossible_counts():
    low, high = wilson_interval([0, np.nan, 5, -1], [0, 10, 4, 3])
    assert np.isnan(low).all()
    assert np.isnan(high).all()
    low, high = poisson_exact_interval([np.nan, -2])
    assert np.isnan(low).all()
    assert np.isnan(high).all()


def test_wilson_stays_inside_0_1_at_the_edges():
    low, high = wilson_interval([0, 7], [7, 7])
    assert low[0] == 0.0
    assert high[1] == 1.0
    assert 0 < high[0] < 1
    assert 0 < low[1] < 1


def test_duckdb_functions_are_the_same_code_with_nulls_passed_through():
    conn = duckdb.connect()
    try:
        register_interval_functions(conn)
        row = conn.execute(
            "select wilson_lower(81, 263), wilson_upper(81, 263), "
            "poisson_exact_lower(10), poisson_exact_upper(10), "
            "wilson_lower(null, 3), wilson_upper(0, 0), poisson_exact_upper(null)"
        ).fetchall()[0]
    finally:
        conn.close()
    assert row[0] == pytest.approx(0.2553, abs=5e-5)
    assert row[1] == pytest.approx(0.3662, abs=5e-5)
    assert row[2] == pytest.approx(4.795, abs=6e-4)
    assert row[3] == pytest.approx(18.390, abs=6e-4)
    assert row[4:] == (None, None, None)
