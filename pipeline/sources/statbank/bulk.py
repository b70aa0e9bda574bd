"""Parse StatBank BULK text into tidy, typed pandas frames with English column names.

The BULK format, as DST's API documentation and real answers show it:
- `;`-separated text in UTF-8 (a BOM may lead; lines may end in CRLF or LF);
- a header of the variable ids in upper case (`OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD` — the
  time variable, `Tid` in requests, is `TID` here), then one row per observation;
- with `valuePresentation=Code` the cells are codes (`101`, `TOT`), with `lang=da` numbers use a
  decimal comma (`0,9`) and periods are `2023` or `2023K4`;
- a value DST suppressed or does not have is `..` (since December 2017; earlier answers left the
  cell empty). Both, and a lone `.`, are read as missing (NaN / <NA>), never as 0;
- rows are not sorted, and streaming formats leave out combinations whose value equals the
  table's `suppressedDataValue` (usually 0). Nothing is filled in: a municipality without a row
  for a year simply has no row.

Area codes are split three ways (see `areas.py`): municipality rows go to `municipalities`,
all-Denmark rows to `national` (same columns, without `municipality_code`), and everything else
(regions, landsdele, Christiansø, 998 unknown) is left out and reported in `excluded_area_codes`.
A municipality frame can therefore never contain 000 or 998, whatever the query asked for.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import pandas as pd
import pyarrow as pa

from pipeline.sources.statbank.areas import (
    MUNICIPALITY_CODES,
    NATIONAL_CODE,
    normalise_area_code,
)
from pipeline.sources.statbank.errors import BulkFormatError
from pipeline.sources.statbank.periods import Period, parse_period

MISSING_MARKERS: frozenset[str] = frozenset({"..", ".", ""})
TIME_COLUMN = "TID"
VALUE_COLUMN = "INDHOLD"
DATE_DTYPE = pd.ArrowDtype(pa.date32())

_NUMBER = r"-?\d+(?:,\d+)?"  # decimal comma, no thousands separator
_SHOWN = 5  # offending examples quoted in an error message


@dataclass(frozen=True)
class ParsedTable:
    """One table's rows, split into municipality rows and all-Denmark rows."""

    table: str
    municipalities: pd.DataFrame
    national: pd.DataFrame
    excluded_area_codes: tuple[str, ...] = ()
    excluded_rows: int = 0


@dataclass(frozen=True)
class TableLayout:
    """How one table's BULK columns become tidy columns."""

    table: str
    area: str  # header name of the area variable
    dimensions: Mapping[str, str]  # header name -> English column, in output order
    periodicity: Literal["quarter", "year"]
    value_column: str
    value_kind: Literal["count", "share"]
    extra: Callable[[pd.DataFrame], pd.DataFrame] = field(default=lambda frame: frame)

    @property
    def variables(self) -> tuple[str, ...]:
        return (self.area, *self.dimensions)


def read_bulk(text: str, variables: Sequence[str], *, table: str) -> pd.DataFrame:
    """Read BULK text into a frame of text columns (upper-case header names) plus `INDHOLD`.

    `variables` are the table's variable ids other than time; the header must hold exactly
    those, `TID` and `INDHOLD`, in any order. The frame's index is the line number in the text,
    so later errors can point at a line. `INDHOLD` is float64 with NaN for missing values.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    reader = csv.reader(lines, delimiter=";")
    header = next(reader, [])
    names = [name.strip().upper() for name in header]
    expected = [variable.upper() for variable in variables] + [TIME_COLUMN, VALUE_COLUMN]
    if sorted(names) != sorted(expected):
        raise BulkFormatError(
            f"{table}: the BULK header is {';'.join(header) or '(empty)'}; expected the columns "
            f"{';'.join(expected)}. Is this the right table, fetched as BULK?"
        )
    rows: list[list[str]] = []
    line_numbers: list[int] = []
    for line_number, row in enumerate(reader, start=2):
        if not row:
            continue  # blank line, e.g. the final newline
        if len(row) != len(names):
            raise BulkFormatError(
                f"{table}: line {line_number} has {len(row)} fields, the header {len(names)}: "
                f"{';'.join(row)!r}"
            )
        rows.append(row)
        line_numbers.append(line_number)
    frame = pd.DataFrame(
        {name: [row[position].strip() for row in rows] for position, name in enumerate(names)},
        index=pd.Index(line_numbers, name="line"),
        dtype="str",
    )
    frame[VALUE_COLUMN] = _parse_values(frame[VALUE_COLUMN], table)
    return frame


def _parse_values(raw: pd.Series, table: str) -> pd.Series:
    missing = raw.isin(MISSING_MARKERS)
    bad = ~missing & ~raw.str.fullmatch(_NUMBER)
    if bad.any():
        raise BulkFormatError(
            f"{table}: INDHOLD values that are neither numbers with a decimal comma nor a "
            f"missing marker (..): {_examples(raw[bad])}"
        )
    numbers = raw.where(~missing).str.replace(",", ".", regex=False)
    return pd.to_numeric(numbers).astype("float64")


def parse_bulk(text: str, layout: TableLayout) -> ParsedTable:
    """Parse one table's BULK text following its layout (see the `parse_<table>` functions)."""
    frame = read_bulk(text, layout.variables, table=layout.table)
    # Labels instead of codes ("København", not "101") mean the request lacked
    # valuePresentation=Code; say so before anything else trips over them.
    labels = ~frame[layout.area].str.fullmatch(r"\d+")
    if labels.any():
        raise BulkFormatError(
            f"{layout.table}: {layout.area} holds labels, not codes "
            f"({_examples(frame[layout.area][labels])}); fetch with valuePresentation=Code"
        )
    frame = layout.extra(frame)
    area = frame[layout.area].map(normalise_area_code)
    tidy = pd.DataFrame(index=frame.index)
    tidy["municipality_code"] = area
    for source, target in layout.dimensions.items():
        tidy[target] = frame[source]
    tidy = tidy.join(_period_columns(frame[TIME_COLUMN], layout))
    tidy[layout.value_column] = _typed_values(frame[VALUE_COLUMN], layout)

    is_municipality = area.isin(MUNICIPALITY_CODES)
    is_national = area == NATIONAL_CODE
    keys = [column for column in tidy.columns if column != layout.value_column]
    municipalities = tidy[is_municipality].sort_values(keys).reset_index(drop=True)
    national = (
        tidy[is_national]
        .drop(columns="municipality_code")
        .sort_values(keys[1:])
        .reset_index(drop=True)
    )
    excluded = area[~is_municipality & ~is_national]
    return ParsedTable(
        table=layout.table,
        municipalities=municipalities,
        national=national,
        excluded_area_codes=tuple(sorted(excluded.unique())),
        excluded_rows=len(excluded),
    )


def _period_columns(raw: pd.Series, layout: TableLayout) -> pd.DataFrame:
    periods: dict[str, Period] = {}
    for value in raw.unique():
        try:
            period = parse_period(value)
        except ValueError as exc:
            raise BulkFormatError(
                f"{layout.table}: {exc} (line {raw[raw == value].index[0]})"
            ) from exc
        if period.is_quarter != (layout.periodicity == "quarter"):
            raise BulkFormatError(
                f"{layout.table}: period {value!r} is not a {layout.periodicity} "
                f"(line {raw[raw == value].index[0]})"
            )
        periods[value] = period
    if layout.periodicity == "quarter":
        return pd.DataFrame(
            {
                "quarter": raw.map(lambda value: periods[value].code).astype("str"),
                "quarter_start": pd.Series(
                    [periods[value].start for value in raw], index=raw.index, dtype=DATE_DTYPE
                ),
            }
        )
    return pd.DataFrame({"year": raw.map(lambda value: periods[value].year).astype("int64")})


def _typed_values(values: pd.Series, layout: TableLayout) -> pd.Series:
    if layout.value_kind == "share":
        return values
    fractional = values.notna() & (values % 1 != 0)
    if fractional.any():
        raise BulkFormatError(
            f"{layout.table}: counts with decimals in INDHOLD: {_examples(values[fractional])}"
        )
    return values.astype("Int64")


def _folk1a_ages(frame: pd.DataFrame) -> pd.DataFrame:
    # ALDER=IALT (all ages) is not requested; if a snapshot holds it, it is dropped, because the
    # age column is a whole number and the 0-17 sum is built from single years downstream.
    frame = frame[frame["ALDER"] != "IALT"]
    ages = frame["ALDER"]
    not_age = ~ages.str.fullmatch(r"\d{1,3}")
    if not_age.any():
        raise BulkFormatError(f"FOLK1A: ALDER values that are not ages: {_examples(ages[not_age])}")
    return frame.assign(ALDER=ages.astype("int64"))


# ANBAAR12 publishes its all-types total as ANBRINGELSE=0 (SPEC §6); the contract and the
# marts name it TOT, as FOLK1A and BU43 name theirs.
ANBAAR12_TOTAL_CODE = "0"
TOTAL = "TOT"


def _anbaar12_total(frame: pd.DataFrame) -> pd.DataFrame:
    codes = frame["ANBRINGELSE"]
    return frame.assign(ANBRINGELSE=codes.where(codes != ANBAAR12_TOTAL_CODE, TOTAL))


def _examples(values: pd.Series) -> str:
    shown = ", ".join(f"line {line}: {value!r}" for line, value in values.head(_SHOWN).items())
    more = f" and {len(values) - _SHOWN} more" if len(values) > _SHOWN else ""
    return shown + more


FOLK1A_LAYOUT = TableLayout(
    table="FOLK1A",
    area="OMRÅDE",
    dimensions={"KØN": "sex", "ALDER": "age", "CIVILSTAND": "marital_status"},
    periodicity="quarter",
    value_column="persons",
    value_kind="count",
    extra=_folk1a_ages,
)
ANBAAR12_LAYOUT = TableLayout(
    table="ANBAAR12",
    area="ADMKOM",
    dimensions={"ANBRINGELSE": "placement_dst_code"},
    periodicity="year",
    value_column="placed",
    value_kind="count",
    extra=_anbaar12_total,
)
ANBAAR9_LAYOUT = TableLayout(
    table="ANBAAR9",
    area="ADMKOM",
    dimensions={"ALERAMS": "age_group"},
    periodicity="year",
    value_column="placed",
    value_kind="count",
)
BU43_LAYOUT = TableLayout(
    table="BU43",
    area="OMRÅDE",
    dimensions={"FORANSTALT": "measure_group", "ALDER": "age_group"},
    periodicity="year",
    value_column="share_pct",
    value_kind="share",
)


def parse_folk1a(text: str) -> ParsedTable:
    """FOLK1A → municipality_code, sex, age, marital_status, quarter, quarter_start, persons."""
    return parse_bulk(text, FOLK1A_LAYOUT)


def parse_anbaar12(text: str) -> ParsedTable:
    """ANBAAR12 → municipality_code, placement_dst_code, year, placed (31 December counts)."""
    return parse_bulk(text, ANBAAR12_LAYOUT)


def parse_anbaar9(text: str) -> ParsedTable:
    """ANBAAR9 → municipality_code, age_group, year, placed (31 December counts)."""
    return parse_bulk(text, ANBAAR9_LAYOUT)


def parse_bu43(text: str) -> ParsedTable:
    """BU43 → municipality_code, measure_group, age_group, year, share_pct (31 December)."""
    return parse_bulk(text, BU43_LAYOUT)


PARSERS: Mapping[str, Callable[[str], ParsedTable]] = MappingProxyType(
    {
        "FOLK1A": parse_folk1a,
        "ANBAAR12": parse_anbaar12,
        "ANBAAR9": parse_anbaar9,
        "BU43": parse_bu43,
    }
)


LAYOUTS: Mapping[str, TableLayout] = MappingProxyType(
    {
        layout.table: layout
        for layout in (FOLK1A_LAYOUT, ANBAAR12_LAYOUT, ANBAAR9_LAYOUT, BU43_LAYOUT)
    }
)


def empty_table(table: str) -> ParsedTable:
    """The table with its columns and types and no rows: what the marts read when no usable
    snapshot of it was ever loaded, so its figures are not available instead of the build
    failing (SPEC §6, degrade, never halt)."""
    layout = LAYOUTS[table.upper()]
    header = ";".join([*layout.variables, TIME_COLUMN, VALUE_COLUMN])
    return parse_bulk(header + "\n", layout)


def parse_table(table: str, text: str) -> ParsedTable:
    """Parse the BULK text of one of the pipeline's tables by name."""
    parser = PARSERS.get(table.upper())
    if parser is None:
        raise ValueError(f"No BULK parser for table {table!r}; known: {', '.join(PARSERS)}")
    return parser(text)
