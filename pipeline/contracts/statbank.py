"""pandera contracts for the parsed StatBank tables (pandas backend).

One pair of schemas per table: municipality rows and all-Denmark rows (see
`pipeline/sources/statbank/bulk.py`). They check what the parser cannot promise on its own:
allowed codes, ranges, unique keys, and that no total or unknown area ever sits among the
municipalities. Codes are the ones SPEC §4 and §6 name. Danmarks Statistik adds codes over
time; rows with a code not listed here are taken out before validation by
`without_unknown_codes`, reported as a warning and left out of the mapped figures (SPEC §6),
so a new code never fails the run, and this list is updated on purpose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd
import pandera.pandas as pa

from pipeline.sources.statbank.areas import MUNICIPALITY_CODES
from pipeline.sources.statbank.bulk import DATE_DTYPE, ParsedTable

SEX_CODES = ("TOT", "1", "2")
MARITAL_STATUS_CODES = ("TOT", "U", "G", "E", "F")
# ANBRINGELSE codes of SPEC §4 (placement types) plus TOT for the all-types total (DST's
# code 0, renamed by the parser).
PLACEMENT_DST_CODES = (
    "TOT",
    *("1", "6", "7", "8", "9", "11", "21", "22", "23", "24", "25", "26", "27", "99"),
)
ANBAAR9_AGE_GROUPS = ("0", "9917", "1822", "999")  # 0 = total, 0-17, 18-22, 999 = unknown
BU43_MEASURE_GROUPS = ("IALT", "FORB", "ANBR")  # all, støttende indsatser, anbragte
BU43_AGE_GROUPS = ("TOT22", "9917", "1822")

_YEARS = pa.Check.in_range(1990, 2100)

_MUNICIPALITY = pa.Column(
    str,
    [
        pa.Check.str_matches(r"^\d{3}$", error="municipality_code is 3 digits"),
        pa.Check.isin(sorted(MUNICIPALITY_CODES), error="one of the 98 municipalities"),
    ],
)


def _count(name: str) -> pa.Column:
    return pa.Column("Int64", pa.Check.ge(0, error=f"{name} is not negative"), nullable=True)


def _quarter_start_matches(frame: pd.DataFrame) -> pd.Series:
    # A malformed quarter code fails here as well as in its own column check, never crashes.
    parts = frame["quarter"].str.extract(r"^(?P<year>\d{4})K(?P<quarter>[1-4])$")
    expected = pd.to_datetime(
        pd.DataFrame(
            {
                "year": pd.to_numeric(parts["year"]),
                "month": 3 * (pd.to_numeric(parts["quarter"]) - 1) + 1,
                "day": 1,
            }
        )
    ).dt.date
    return frame["quarter_start"].astype(object) == expected


def _schemas(
    name: str,
    columns: dict[str, pa.Column],
    keys: list[str],
    checks: list[pa.Check] | None = None,
) -> tuple[pa.DataFrameSchema, pa.DataFrameSchema]:
    """The municipal schema and the all-Denmark one (same columns, no municipality_code)."""
    municipal = pa.DataFrameSchema(
        {"municipality_code": _MUNICIPALITY, **columns},
        checks=checks,
        unique=["municipality_code", *keys],
        strict=True,
        ordered=True,
        name=f"{name} (municipalities)",
    )
    national = pa.DataFrameSchema(
        dict(columns),
        checks=checks,
        unique=keys,
        strict=True,
        ordered=True,
        name=f"{name} (all Denmark)",
    )
    return municipal, national


FOLK1A_SCHEMA, FOLK1A_NATIONAL_SCHEMA = _schemas(
    "FOLK1A",
    {
        "sex": pa.Column(str, pa.Check.isin(SEX_CODES)),
        "age": pa.Column("int64", pa.Check.in_range(0, 125)),
        "marital_status": pa.Column(str, pa.Check.isin(MARITAL_STATUS_CODES)),
        "quarter": pa.Column(str, pa.Check.str_matches(r"^\d{4}K[1-4]$")),
        "quarter_start": pa.Column(DATE_DTYPE),
        "persons": _count("persons"),
    },
    keys=["sex", "age", "marital_status", "quarter"],
    checks=[pa.Check(_quarter_start_matches, error="quarter_start is the quarter's first day")],
)

ANBAAR12_SCHEMA, ANBAAR12_NATIONAL_SCHEMA = _schemas(
    "ANBAAR12",
    {
        "placement_dst_code": pa.Column(str, pa.Check.isin(PLACEMENT_DST_CODES)),
        "year": pa.Column("int64", _YEARS),
        "placed": _count("placed"),
    },
    keys=["placement_dst_code", "year"],
)

ANBAAR9_SCHEMA, ANBAAR9_NATIONAL_SCHEMA = _schemas(
    "ANBAAR9",
    {
        "age_group": pa.Column(str, pa.Check.isin(ANBAAR9_AGE_GROUPS)),
        "year": pa.Column("int64", _YEARS),
        "placed": _count("placed"),
    },
    keys=["age_group", "year"],
)

BU43_SCHEMA, BU43_NATIONAL_SCHEMA = _schemas(
    "BU43",
    {
        "measure_group": pa.Column(str, pa.Check.isin(BU43_MEASURE_GROUPS)),
        "age_group": pa.Column(str, pa.Check.isin(BU43_AGE_GROUPS)),
        "year": pa.Column("int64", _YEARS),
        "share_pct": pa.Column(
            "float64", pa.Check.in_range(0, 100, error="a share is 0-100 %"), nullable=True
        ),
    },
    keys=["measure_group", "age_group", "year"],
)

SCHEMAS: Mapping[str, tuple[pa.DataFrameSchema, pa.DataFrameSchema]] = MappingProxyType(
    {
        "FOLK1A": (FOLK1A_SCHEMA, FOLK1A_NATIONAL_SCHEMA),
        "ANBAAR12": (ANBAAR12_SCHEMA, ANBAAR12_NATIONAL_SCHEMA),
        "ANBAAR9": (ANBAAR9_SCHEMA, ANBAAR9_NATIONAL_SCHEMA),
        "BU43": (BU43_SCHEMA, BU43_NATIONAL_SCHEMA),
    }
)


# The coded columns of each table and the codes the pipeline knows (what the contracts allow).
KNOWN_CODES: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "FOLK1A": {"sex": SEX_CODES, "marital_status": MARITAL_STATUS_CODES},
        "ANBAAR12": {"placement_dst_code": PLACEMENT_DST_CODES},
        "ANBAAR9": {"age_group": ANBAAR9_AGE_GROUPS},
        "BU43": {"measure_group": BU43_MEASURE_GROUPS, "age_group": BU43_AGE_GROUPS},
    }
)


@dataclasses.dataclass(frozen=True)
class UnknownCodes:
    """Rows left out of a table because a coded column holds a code the pipeline does not know."""

    codes: dict[str, list[str]]  # column -> the unknown codes found, sorted
    rows: int

    def describe(self, table: str) -> str:
        found = "; ".join(f"{column} {', '.join(codes)}" for column, codes in self.codes.items())
        return (
            f"{table} has codes the pipeline does not know ({found}): {self.rows} rows left out "
            "of the mapped figures; add the codes to pipeline/contracts/statbank.py (and the "
            "placement_types seed) once their meaning is checked"
        )


def without_unknown_codes(parsed: ParsedTable) -> tuple[ParsedTable, UnknownCodes]:
    """The table without the rows whose codes are not known, and what was left out."""
    known = KNOWN_CODES[parsed.table]
    codes: dict[str, set[str]] = {}
    frames = []
    rows = 0
    for frame in (parsed.municipalities, parsed.national):
        keep = pd.Series(True, index=frame.index)
        for column, allowed in known.items():
            unknown = ~frame[column].isin(allowed)
            codes.setdefault(column, set()).update(frame.loc[unknown, column].astype(str))
            keep &= ~unknown
        rows += int((~keep).sum())
        frames.append(frame[keep].reset_index(drop=True))
    found = {column: sorted(values) for column, values in codes.items() if values}
    kept = dataclasses.replace(parsed, municipalities=frames[0], national=frames[1])
    return kept, UnknownCodes(codes=found, rows=rows)


def validate_parsed(parsed: ParsedTable, *, lazy: bool = True) -> ParsedTable:
    """Validate both frames of a parsed table; raises pandera's SchemaError(s) on bad data."""
    municipal, national = SCHEMAS[parsed.table]
    municipal.validate(parsed.municipalities, lazy=lazy)
    national.validate(parsed.national, lazy=lazy)
    return parsed
