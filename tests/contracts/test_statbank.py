"""The StatBank contracts accept what the parser makes of good answers, and fail on bad data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa
import pytest

from pipeline.contracts.statbank import (
    ANBAAR9_SCHEMA,
    ANBAAR12_SCHEMA,
    BU43_NATIONAL_SCHEMA,
    BU43_SCHEMA,
    FOLK1A_NATIONAL_SCHEMA,
    FOLK1A_SCHEMA,
    validate_parsed,
)
from pipeline.sources.statbank.bulk import DATE_DTYPE, parse_table
from tests.sources.statbank.standin import BULK

Mutation = Callable[[pd.DataFrame], pd.DataFrame]


def _parsed(table: str) -> pd.DataFrame:
    return parse_table(table, BULK[table]).municipalities


def _set(column: str, value: object, row: int = 0) -> Mutation:
    def mutate(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        frame.loc[row, column] = value
        return frame

    return mutate


def _duplicate_first_row(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame, frame.iloc[[0]]], ignore_index=True)


@pytest.mark.parametrize("table", sorted(BULK))
def test_parsed_recorded_answers_pass(table: str):
    validate_parsed(parse_table(table, BULK[table]))


@pytest.mark.parametrize(
    ("schema", "table", "mutate", "failing_check"),
    [
        (FOLK1A_SCHEMA, "FOLK1A", _set("municipality_code", "000"), "one of the 98"),
        (FOLK1A_SCHEMA, "FOLK1A", _set("municipality_code", "998"), "one of the 98"),
        (FOLK1A_SCHEMA, "FOLK1A", _set("municipality_code", "81"), "3 digits"),
        (FOLK1A_SCHEMA, "FOLK1A", _set("persons", -1), "persons is not negative"),
        (FOLK1A_SCHEMA, "FOLK1A", _set("sex", "M"), "isin"),
        (FOLK1A_SCHEMA, "FOLK1A", _set("marital_status", "P"), "isin"),
        (FOLK1A_SCHEMA, "FOLK1A", _set("age", 130), "in_range"),
        (FOLK1A_SCHEMA, "FOLK1A", _set("quarter", "2024Q1"), "str_matches"),
        (FOLK1A_SCHEMA, "FOLK1A", _set("quarter", "soon"), "quarter's first day"),
        (
            FOLK1A_SCHEMA,
            "FOLK1A",
            _set("quarter_start", dt.date(2024, 2, 1)),
            "quarter_start is the quarter's first day",
        ),
        (FOLK1A_SCHEMA, "FOLK1A", _duplicate_first_row, "unique"),
        (FOLK1A_SCHEMA, "FOLK1A", lambda f: f.assign(extra=1), "column_in_schema"),
        (FOLK1A_SCHEMA, "FOLK1A", lambda f: f.assign(age=f.age.astype(str)), "dtype"),
        (FOLK1A_SCHEMA, "FOLK1A", lambda f: f.drop(columns="persons"), "column_in_dataframe"),
        (ANBAAR12_SCHEMA, "ANBAAR12", _set("placement_dst_code", "42"), "isin"),
        (ANBAAR12_SCHEMA, "ANBAAR12", _set("placed", -3), "placed is not negative"),
        (ANBAAR12_SCHEMA, "ANBAAR12", _set("year", 1899), "in_range"),
        (ANBAAR9_SCHEMA, "ANBAAR9", _set("age_group", "0017"), "isin"),
        (ANBAAR9_SCHEMA, "ANBAAR9", _duplicate_first_row, "unique"),
        (BU43_SCHEMA, "BU43", _set("share_pct", 100.5), "a share is 0-100 %"),
        (BU43_SCHEMA, "BU43", _set("share_pct", -0.1), "a share is 0-100 %"),
        (BU43_SCHEMA, "BU43", _set("measure_group", "ALL"), "isin"),
        (BU43_SCHEMA, "BU43", _set("age_group", "TOT"), "isin"),
    ],
)
def test_contracts_fail_on_bad_data(
    schema: pa.DataFrameSchema, table: str, mutate: Mutation, failing_check: str
):
    frame = mutate(_parsed(table))
    with pytest.raises(pa.errors.SchemaErrors) as error:
        schema.validate(frame, lazy=True)
    checks = error.value.failure_cases["check"].astype(str)
    assert checks.str.contains(failing_check, regex=False).any(), checks.tolist()


@pytest.mark.parametrize("table", sorted(BULK))
def test_an_answer_with_no_rows_passes_with_the_same_types(table: str):
    header = BULK[table].split("\n", 1)[0] + "\r\n"
    validate_parsed(parse_table(table, header))


def test_missing_values_are_allowed_but_only_where_dst_suppresses():
    frame = _parsed("FOLK1A")
    assert frame.persons.isna().any()
    FOLK1A_SCHEMA.validate(frame)
    with pytest.raises(pa.errors.SchemaError):
        FOLK1A_SCHEMA.validate(_set("sex", None)(frame))


def test_national_frames_have_no_municipality_column():
    parsed = parse_table("FOLK1A", BULK["FOLK1A"])
    FOLK1A_NATIONAL_SCHEMA.validate(parsed.national)
    with_area = parsed.national.assign(municipality_code="000")
    with pytest.raises(pa.errors.SchemaErrors, match="municipality_code"):
        FOLK1A_NATIONAL_SCHEMA.validate(with_area, lazy=True)
    bu43 = parse_table("BU43", BULK["BU43"]).national
    with pytest.raises(pa.errors.SchemaErrors):
        BU43_NATIONAL_SCHEMA.validate(_duplicate_first_row(bu43), lazy=True)


def test_quarter_start_must_be_a_date_not_a_timestamp():
    frame = _parsed("FOLK1A")
    assert frame.quarter_start.dtype == DATE_DTYPE
    as_timestamp = frame.assign(quarter_start=pd.to_datetime(frame.quarter_start.astype(str)))
    with pytest.raises(pa.errors.SchemaError, match="date32"):
        FOLK1A_SCHEMA.validate(as_timestamp)
