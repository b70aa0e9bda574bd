"""CPR parsing and pseudonyms (SPEC §3, §10). Every number here is synthetic: serials count up
from the lowest value of their century digit."""

import hmac
from hashlib import sha256

import pandas as pd

from pipeline.sources import cpr

KEY = b"test-key-0123456789-0123456789-0123456789"


def test_century_rule_from_the_seventh_digit_and_yy():
    numbers = pd.Series(
        [
            "010199-0001",  # 7th digit 0-3: 1900s
            "010136-4001",  # 4, YY <= 36: 2000s
            "010137-4001",  # 4, YY > 36: 1900s
            "010136-9001",  # 9, YY <= 36: 2000s
            "010157-5001",  # 5-8, YY <= 57: 2000s
            "010158-8001",  # 5-8, YY > 57: 1800s
        ]
    )
    assert cpr.birth_dates(numbers).dt.year.tolist() == [1999, 2036, 1937, 2036, 2057, 1858]


def test_modulus_11_is_not_checked_and_the_hyphen_is_optional():
    # 0101150001 fails modulus 11; since 2007 such numbers are valid.
    numbers = pd.Series(["010115-4001", "0101154002"])
    assert cpr.birth_dates(numbers).tolist() == [pd.Timestamp("2015-01-01")] * 2


def test_an_impossible_date_or_a_malformed_number_has_no_birth_date():
    numbers = pd.Series(["310215-4001", "300215-4001", "010115-40O1", "01011-54001", "", None])
    assert cpr.birth_dates(numbers).isna().tolist() == [True, True, True, True, True, True]


def test_29_february_exists_only_in_leap_years():
    numbers = pd.Series(["290216-4001", "290217-4001"])
    assert cpr.birth_dates(numbers).isna().tolist() == [False, True]


def test_odd_last_digit_is_male():
    numbers = pd.Series(["010115-4001", "010115-4002", "nonsense"])
    assert cpr.sexes(numbers).tolist() == ["M", "F", pd.NA]


def test_pseudonym_is_the_keyed_hmac_of_the_number_without_hyphen():
    numbers = pd.Series(["010115-4001", "0101154001", " 010115-4001 ", None])
    expected = hmac.new(KEY, b"0101154001", sha256).hexdigest()
    result = cpr.pseudonymise(numbers, KEY)
    assert result.iloc[:3].tolist() == [expected] * 3
    assert pd.isna(result.iloc[3])


def test_pseudonym_depends_on_the_key():
    numbers = pd.Series(["010115-4001"])
    assert cpr.pseudonymise(numbers, KEY)[0] != cpr.pseudonymise(numbers, KEY + b"x")[0]
    assert "0101154001" not in cpr.pseudonymise(numbers, KEY)[0]
