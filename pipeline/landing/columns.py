"""The columns of each landing table: name, pandas dtype, DuckDB type, description.

Derived from the input contract (sources/extracts/spec.py) so that the typed frames, the pandera
contracts, the DuckDB tables and dbt's sources cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.sources.extracts.spec import FileSpec, Kind


@dataclass(frozen=True)
class LandingColumn:
    name: str
    pandas_dtype: str
    duckdb_type: str
    description: str


_DATE = ("datetime64[us]", "DATE")

_BY_KIND: dict[Kind, tuple[str, str]] = {
    Kind.ID: ("string", "VARCHAR"),
    Kind.PSEUDONYMISED_ID: ("string", "VARCHAR"),
    Kind.TEXT: ("string", "VARCHAR"),
    Kind.DATE: _DATE,
    Kind.MONTH: _DATE,
    Kind.BOOLEAN: ("bool", "BOOLEAN"),
    Kind.DECIMAL: ("Float64", "DOUBLE"),
    Kind.ENUM: ("string", "VARCHAR"),
    Kind.SCHOOL_YEAR: ("string", "VARCHAR"),
    Kind.ACCOUNT: ("string", "VARCHAR"),
}

LINEAGE = (
    LandingColumn("municipality_code", "string", "VARCHAR", "delivering municipality (DST code)"),
    LandingColumn("delivery_date", *_DATE, "date of the delivery folder the row came from"),
    LandingColumn("line_number", "Int64", "BIGINT", "line of the delivered file (header = 1)"),
)


def landing_columns(spec: FileSpec) -> tuple[LandingColumn, ...]:
    columns = list(LINEAGE)
    for column in spec.columns:
        match column.kind:
            case Kind.CPR:
                columns += [
                    LandingColumn(
                        "person_id",
                        "string",
                        "VARCHAR",
                        "pseudonym: HMAC-SHA256 of the CPR number with the secret key",
                    ),
                    LandingColumn("birth_date", *_DATE, "birth date read from the CPR number"),
                    LandingColumn("sex", "string", "VARCHAR", "M or F, from the CPR number"),
                ]
            case Kind.LEGAL_REFERENCE:
                columns += [
                    LandingColumn(column.name, "string", "VARCHAR", "legal basis as delivered"),
                    LandingColumn(
                        "law", "string", "VARCHAR", "SEL (Serviceloven) or BL (Barnets Lov)"
                    ),
                    LandingColumn("paragraph", "Int64", "INTEGER", "paragraph (§) number"),
                    LandingColumn("letter", "string", "VARCHAR", "paragraph letter, as in § 52 a"),
                    LandingColumn("stk", "Int64", "INTEGER", "stk. (subsection)"),
                    LandingColumn("nr", "Int64", "INTEGER", "nr. (item)"),
                    LandingColumn("category", "string", "VARCHAR", "measure category (SPEC §4)"),
                ]
            case Kind.PLACEMENT_TYPE:
                columns += [
                    LandingColumn(
                        column.name, "string", "VARCHAR", "placement type code (SPEC §4)"
                    ),
                    LandingColumn(
                        "placement_dst_code",
                        "Int64",
                        "INTEGER",
                        "Danmarks Statistik ANBRINGELSE code",
                    ),
                ]
            case _:
                pandas_dtype, duckdb_type = _BY_KIND[column.kind]
                columns.append(LandingColumn(column.name, pandas_dtype, duckdb_type, column.name))
    return tuple(columns)


def cast_to_landing(spec: FileSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Select and type the landing columns, in table order."""
    columns = landing_columns(spec)
    return frame[[c.name for c in columns]].astype({c.name: c.pandas_dtype for c in columns})
