"""Value formats of SPEC §8: each parser reads every accepted spelling and flags the rest."""

import pandas as pd

from pipeline.sources.extracts import parsing


def _text(*values):
    return parsing.clean(pd.Series(values, dtype="string"))


def test_dates_in_three_formats_and_impossible_dates_flagged():
    parsed = parsing.dates(_text("2024-01-05", "05-01-2024", "5.1.2024", "", "2024-02-30", "jan 5"))
    assert parsed.values.iloc[:3].tolist() == [pd.Timestamp("2024-01-05")] * 3
    assert parsed.values.iloc[3:].isna().all()
    assert parsed.bad.tolist() == [False, False, False, False, True, True]


def test_booleans_every_spelling_and_empty_is_false():
    parsed = parsing.booleans(_text("1", "0", "TRUE", "false", "Ja", "nej", "J", "n", "", "måske"))
    assert parsed.values.tolist() == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        False,
        False,
    ]
    assert parsed.bad.tolist() == [False] * 9 + [True]


def test_decimals_comma_point_and_thousands():
    parsed = parsing.decimals(_text("12,5", "12.5", "1.234,50", "1,234.50", "-300", "", "12,5%"))
    assert parsed.values.iloc[:5].tolist() == [12.5, 12.5, 1234.5, 1234.5, -300.0]
    assert parsed.bad.tolist() == [False, False, False, False, False, False, True]


def test_enums_accept_codes_and_danish_labels():
    spellings = {
        "planned": "PLANNED",
        "planlagt": "PLANNED",
        "sammenbrud": "UNPLANNED",
        "ikke planlagt": "UNPLANNED",
    }
    parsed = parsing.enums(_text("PLANNED", "Planlagt", "ikke  planlagt", "", "aflyst"), spellings)
    assert parsed.values.iloc[:3].tolist() == ["PLANNED", "PLANNED", "UNPLANNED"]
    assert parsed.bad.tolist() == [False, False, False, False, True]


def test_school_years_short_and_long_form():
    parsed = parsing.school_years(_text("2010/11", "2010/2011", "1999/00", "2010/12", "2010"))
    assert parsed.values.iloc[:3].tolist() == ["2010/11", "2010/11", "1999/00"]
    assert parsed.bad.tolist() == [False, False, False, True, True]


def test_accounts_in_three_notations():
    parsed = parsing.accounts(_text("5.28.21", "52821", "5.28.21.01", "5282101", "5.28", "5-28-21"))
    assert parsed.values.iloc[:4].tolist() == ["5.28.21", "5.28.21", "5.28.21.01", "5.28.21.01"]
    assert parsed.bad.tolist() == [False, False, False, False, True, True]


def test_months():
    parsed = parsing.months(_text("2024-03", "2024-3", "2024-13", "03-2024"))
    assert parsed.values.iloc[:2].tolist() == [pd.Timestamp("2024-03-01")] * 2
    assert parsed.bad.tolist() == [False, False, True, True]
