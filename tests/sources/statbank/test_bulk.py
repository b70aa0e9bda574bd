"""BULK text to tidy frames: encodings, missing values, periods, and the area split."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from pipeline.contracts.statbank import validate_parsed, without_unknown_codes
from pipeline.sources.statbank.bulk import (
    empty_table,
    parse_anbaar9,
    parse_anbaar12,
    parse_bu43,
    parse_folk1a,
    parse_table,
    read_bulk,
)
from pipeline.sources.statbank.errors import BulkFormatError
from pipeline.sources.statbank.periods import parse_period
from tests.sources.statbank.standin import BULK, FOLK1A_BULK


def _variants(text: str) -> dict[str, str]:
    """The same answer as UTF-8 with and without BOM, with LF and CRLF line ends."""
    crlf = text.replace("\n", "\r\n")
    return {"lf": text, "crlf": crlf, "bom-lf": "\ufeff" + text, "bom-crlf": "\ufeff" + crlf}


@pytest.mark.parametrize("variant", ["crlf", "bom-lf", "bom-crlf"])
@pytest.mark.parametrize("table", sorted(BULK))
def test_bom_and_line_ends_do_not_change_the_result(table: str, variant: str):
    expected = parse_table(table, BULK[table])
    parsed = parse_table(table, _variants(BULK[table])[variant])
    pd.testing.assert_frame_equal(parsed.municipalities, expected.municipalities)
    pd.testing.assert_frame_equal(parsed.national, expected.national)


def test_bom_does_not_stick_to_the_first_column_name():
    frame = read_bulk("\ufeff" + FOLK1A_BULK, ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND"], table="X")
    assert frame.columns[0] == "OMRÅDE"


def test_folk1a_columns_types_and_values():
    parsed = parse_folk1a(FOLK1A_BULK)
    frame = parsed.municipalities
    assert list(frame.columns) == [
        "municipality_code",
        "sex",
        "age",
        "marital_status",
        "quarter",
        "quarter_start",
        "persons",
    ]
    assert str(frame["age"].dtype) == "int64"
    assert str(frame["persons"].dtype) == "Int64"
    assert str(frame["quarter_start"].dtype) == "date32[day][pyarrow]"
    row = frame[(frame.municipality_code == "330") & (frame.age == 1)].iloc[0]
    assert (row.sex, row.marital_status, row.quarter, row.persons) == ("TOT", "TOT", "2024K1", 688)
    assert row.quarter_start == dt.date(2024, 1, 1)
    assert frame[frame.quarter == "2023K4"].quarter_start.iloc[0] == dt.date(2023, 10, 1)


def test_suppressed_value_stays_missing_never_zero():
    frame = parse_folk1a(FOLK1A_BULK).municipalities
    suppressed = frame[(frame.municipality_code == "101") & (frame.age == 1)].persons
    assert suppressed.isna().all()
    assert (frame.persons.fillna(-1) != 0).all()


@pytest.mark.parametrize("marker", ["..", "", "."])
def test_every_missing_marker_is_missing(marker: str):
    text = f"OMRÅDE;FORANSTALT;ALDER;TID;INDHOLD\n101;ANBR;9917;2023;{marker}\n"
    share = parse_bu43(text).municipalities.share_pct.iloc[0]
    assert math.isnan(share)


def test_decimal_comma_is_read_as_a_decimal():
    frame = parse_bu43(BULK["BU43"]).municipalities
    frame = frame[frame.municipality_code == "101"]
    keys = frame.measure_group + "/" + frame.year.astype(str)
    shares = dict(zip(keys, frame.share_pct, strict=True))
    assert shares["FORB/2023"] == pytest.approx(3.45)
    assert shares["ANBR/2023"] == pytest.approx(1.2)
    assert str(frame.share_pct.dtype) == "float64"


def test_totals_regions_and_unknown_are_never_municipality_rows():
    parsed = parse_bu43(BULK["BU43"])
    assert set(parsed.municipalities.municipality_code) == {"101", "860"}
    assert parsed.excluded_area_codes == ("081",)
    assert parsed.excluded_rows == 1
    assert list(parsed.national.columns) == ["measure_group", "age_group", "year", "share_pct"]
    assert parsed.national.share_pct.tolist() == [pytest.approx(0.9)]


@pytest.mark.parametrize("total", ["0", "00", "000"])
def test_all_denmark_in_any_zero_padding_goes_to_national(total: str):
    parsed = parse_anbaar9(f"ADMKOM;ALERAMS;TID;INDHOLD\n{total};0;2023;13402\n101;0;2023;1120\n")
    assert parsed.national.placed.tolist() == [13402]
    assert parsed.municipalities.municipality_code.tolist() == ["101"]


@pytest.mark.parametrize("code", ["998", "81", "081", "1081", "411", "01", "999"])
def test_non_municipality_area_codes_are_excluded_and_reported(code: str):
    parsed = parse_anbaar12(f"ADMKOM;ANBRINGELSE;TID;INDHOLD\n{code};TOT;2023;5\n")
    assert parsed.municipalities.empty
    assert parsed.national.empty
    assert parsed.excluded_rows == 1
    assert parsed.excluded_area_codes == (code.zfill(3),)


def test_anbaar12_and_anbaar9_columns():
    anbaar12 = parse_anbaar12(BULK["ANBAAR12"]).municipalities
    assert list(anbaar12.columns) == ["municipality_code", "placement_dst_code", "year", "placed"]
    assert str(anbaar12.year.dtype) == "int64"
    assert str(anbaar12.placed.dtype) == "Int64"
    assert anbaar12.placed.isna().sum() == 1  # 101 / 9 / 2023 was ".."
    anbaar9 = parse_anbaar9(BULK["ANBAAR9"])
    assert list(anbaar9.municipalities.columns) == [
        "municipality_code",
        "age_group",
        "year",
        "placed",
    ]
    assert anbaar9.national.age_group.tolist() == ["0"]


def test_no_filling_of_municipalities_missing_in_a_year():
    frame = parse_anbaar12(BULK["ANBAAR12"]).municipalities
    # 101 has rows for 2023 only, 330 for 2022 and 2023: nothing is invented for 101 in 2022.
    assert sorted(frame[frame.municipality_code == "101"].year.unique()) == [2023]
    assert len(frame) == 5


def test_folk1a_drops_the_all_ages_total():
    text = FOLK1A_BULK + "101;TOT;IALT;TOT;2024K1;667099\n"
    frame = parse_folk1a(text).municipalities
    assert len(frame) == len(parse_folk1a(FOLK1A_BULK).municipalities)


def test_rows_come_out_sorted_by_key():
    frame = parse_folk1a(FOLK1A_BULK).municipalities
    keys = ["municipality_code", "sex", "age", "marital_status", "quarter"]
    assert frame[keys].equals(frame[keys].sort_values(keys).reset_index(drop=True))


FOLK1A_HEADER = "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"the BULK header is \(empty\)"),
        ("OMRÅDE;TID;INDHOLD\n101;2024K1;5\n", "expected the columns"),
        (FOLK1A_HEADER + "København;I alt;0 år;I alt;2024K1;8012\n", "holds labels, not codes"),
        (FOLK1A_HEADER + "101;TOT;0;TOT;2024K1\n", "line 2 has 5 fields"),
        (FOLK1A_HEADER + "101;TOT;0;TOT;2024K1;1.234\n", "line 2: '1.234'"),
        (FOLK1A_HEADER + "101;TOT;0;TOT;2024K1;n/a\n", "neither numbers"),
        (FOLK1A_HEADER + "101;TOT;0;TOT;2024;5\n", "is not a quarter"),
        (FOLK1A_HEADER + "101;TOT;0;TOT;2024M01;5\n", "line 2"),
        (FOLK1A_HEADER + "101;TOT;0;TOT;2024K1;5,5\n", "with decimals"),
        (FOLK1A_HEADER + "101;TOT;99-;TOT;2024K1;5\n", "not ages"),
    ],
)
def test_malformed_folk1a_is_refused_with_a_pointer(text: str, message: str):
    with pytest.raises(BulkFormatError, match=message):
        parse_folk1a(text)


def test_a_quarter_in_an_annual_table_is_refused():
    with pytest.raises(BulkFormatError, match="is not a year"):
        parse_bu43("OMRÅDE;FORANSTALT;ALDER;TID;INDHOLD\n101;ANBR;9917;2023K4;1,0\n")


def test_header_order_and_case_do_not_matter():
    text = "tid;admkom;indhold;alerams\n2023;101;980;9917\n"
    frame = parse_anbaar9(text).municipalities
    assert frame.iloc[0].to_dict() == {
        "municipality_code": "101",
        "age_group": "9917",
        "year": 2023,
        "placed": 980,
    }


def test_parse_table_dispatches_by_name():
    assert parse_table("bu43", BULK["BU43"]).table == "BU43"
    with pytest.raises(ValueError, match="No BULK parser"):
        parse_table("FOLK1B", "")


@pytest.mark.parametrize(
    ("code", "year", "quarter", "start", "normalised"),
    [
        ("2023", 2023, None, dt.date(2023, 1, 1), "2023"),
        ("2023K1", 2023, 1, dt.date(2023, 1, 1), "2023K1"),
        ("2023K4", 2023, 4, dt.date(2023, 10, 1), "2023K4"),
        ("2024Q2", 2024, 2, dt.date(2024, 4, 1), "2024K2"),
    ],
)
def test_parse_period(code: str, year: int, quarter: int | None, start: dt.date, normalised: str):
    period = parse_period(code)
    assert (period.year, period.quarter, period.start, period.code) == (
        year,
        quarter,
        start,
        normalised,
    )


@pytest.mark.parametrize("code", ["2023K5", "2023M01", "23K1", "K1", ""])
def test_parse_period_refuses_other_codes(code: str):
    with pytest.raises(ValueError, match="is not a StatBank year"):
        parse_period(code)


# ANBAAR12 and ANBAAR9 as Danmarks Statistik publishes them (SPEC §6): the all-types total is
# ANBRINGELSE=0, ALERAMS has 999 = unknown age, and ADMKOM 998 = unknown municipality.
REAL_ANBAAR12 = (
    "ADMKOM;ANBRINGELSE;TID;INDHOLD\n"
    "0;0;2023;11013\n"
    "101;0;2023;1120\n"
    "101;21;2023;514\n"
    "998;0;2023;7\n"
)
REAL_ANBAAR9 = (
    "ADMKOM;ALERAMS;TID;INDHOLD\n"
    "0;0;2023;13402\n"
    "101;0;2023;1130\n"
    "101;9917;2023;980\n"
    "101;999;2023;10\n"
    "998;9917;2023;9\n"
)


def test_anbaar12_total_code_0_is_the_total_and_passes_its_contract():
    parsed = parse_anbaar12(REAL_ANBAAR12)
    validate_parsed(parsed)
    municipal = parsed.municipalities
    codes = dict(zip(municipal["placement_dst_code"], municipal["placed"], strict=True))
    assert codes == {"TOT": 1120, "21": 514}
    assert parsed.national["placement_dst_code"].tolist() == ["TOT"]
    assert parsed.excluded_area_codes == ("998",)


def test_anbaar9_unknown_age_999_and_unknown_municipality_998_pass_the_contract():
    parsed = parse_anbaar9(REAL_ANBAAR9)
    validate_parsed(parsed)
    assert set(parsed.municipalities["age_group"]) == {"0", "9917", "999"}
    assert parsed.excluded_area_codes == ("998",)


def test_an_unknown_code_is_left_out_and_reported_not_a_failed_contract():
    text = REAL_ANBAAR12 + "101;31;2023;3\n0;31;2023;40\n"  # 31: a code DST added later
    kept, unknown = without_unknown_codes(parse_anbaar12(text))
    validate_parsed(kept)
    assert unknown.codes == {"placement_dst_code": ["31"]}
    assert unknown.rows == 2
    assert "31" not in set(kept.municipalities["placement_dst_code"])
    assert "placement_dst_code 31" in unknown.describe("ANBAAR12")
    _, none = without_unknown_codes(parse_anbaar12(REAL_ANBAAR12))
    assert (none.codes, none.rows) == ({}, 0)


@pytest.mark.parametrize("table", ["FOLK1A", "ANBAAR12", "ANBAAR9", "BU43"])
def test_an_empty_table_has_the_columns_and_types_of_a_parsed_one(table: str):
    empty, full = empty_table(table), parse_table(table, BULK[table])
    assert len(empty.municipalities) == len(empty.national) == 0
    assert empty.municipalities.dtypes.to_dict() == full.municipalities.dtypes.to_dict()
    validate_parsed(empty)
