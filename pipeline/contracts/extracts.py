"""Pandera contracts for the typed files of a delivery (SPEC §8 row rules, §11 "Rows").

One contract per file, run once, at ingestion: every row that breaks it goes to quarantine.
A blocking asset check then holds each landing table to what the contract accepted
(landing/stored_rows.py), so nothing downstream runs on rows the contract did not pass.

Values that cannot even be read (a date that is not a date) are caught earlier by the
normaliser; the contract sees typed columns. Failure cases are turned into (row, column, rule)
records here and nowhere else; their values are never kept, because they can be personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from pipeline.sources.extracts.spec import (
    DATE_ORDER_RULES,
    DATES_ALLOWED_AFTER_DELIVERY,
    ColumnSpec,
    FileSpec,
    Kind,
)
from pipeline.sources.legal_references import CATEGORIES
from pipeline.sources.placement_types import PLACEMENT_TYPES

_DATE = "datetime64[us]"

# Typed columns are reported under the input column they came from.
_INPUT_COLUMN = {
    "person_id": "cpr",
    "birth_date": "cpr",
    "sex": "cpr",
    "law": "legal_reference",
    "paragraph": "legal_reference",
    "letter": "legal_reference",
    "stk": "legal_reference",
    "nr": "legal_reference",
    "category": "legal_reference",
    "placement_dst_code": "placement_type",
}

# Pandera's built-in check names -> the rule names of the quarantine.
_RULE_OF_BUILTIN = {
    "not_nullable": "required",
    "field_uniqueness": "duplicate_id",
    "isin": "value_not_allowed",
    "str_matches": "value_not_allowed",
}


@dataclass(frozen=True)
class Contract:
    spec: FileSpec
    schema: pa.DataFrameSchema


def contract_for(spec: FileSpec, measures: pd.DataFrame | None = None) -> Contract:
    """The contract of one file. `measures`: the accepted measures (municipality_code,
    measure_id) of the same deliveries, which follow_ups.csv's measure_id must point at."""
    columns: dict[str, pa.Column] = {
        "municipality_code": pa.Column("string", pa.Check.str_matches(r"^\d{3}$")),
        "delivery_date": pa.Column(_DATE),
        "line_number": pa.Column("Int64", pa.Check.ge(1)),
    }
    for column in spec.columns:
        columns.update(_typed_columns(spec, column))
    checks = [*_date_after_delivery_checks(spec), *_date_order_checks(spec)]
    if spec.name == "follow_ups":
        known = _measure_keys(measures)
        checks.append(
            pa.Check(
                lambda df: pd.Series(_measure_keys(df).isin(known), index=df.index),
                name="measure_missing[measure_id]",
            )
        )
    if spec.id_column is not None:
        key = "person_id" if spec.id_column == "cpr" else spec.id_column
        # Ids are unique within a delivery; every row sharing a duplicated id breaks the rule.
        checks.append(
            pa.Check(
                lambda df, key=key: (
                    ~df.duplicated(["municipality_code", "delivery_date", key], keep=False)
                    | df[key].isna()
                ),
                name=f"duplicate_id[{spec.id_column}]",
            )
        )
    if spec.name == "measures":
        checks.append(
            pa.Check(
                lambda df: df["category"].ne("PLACEMENT") | df["placement_type"].notna(),
                name="placement_type_missing[placement_type]",
            )
        )
    schema = pa.DataFrameSchema(columns, checks=checks, strict="filter", name=spec.name)
    return Contract(spec=spec, schema=schema)


def _measure_keys(frame: pd.DataFrame | None) -> pd.MultiIndex:
    """(municipality_code, measure_id) pairs: a measure id is only unique within a delivery."""
    if frame is None:
        return pd.MultiIndex.from_arrays([[], []], names=["municipality_code", "measure_id"])
    return pd.MultiIndex.from_frame(frame[["municipality_code", "measure_id"]])


def _typed_columns(spec: FileSpec, column: ColumnSpec) -> dict[str, pa.Column]:
    nullable = not column.required
    match column.kind:
        case Kind.CPR:
            return {
                "person_id": pa.Column("string", nullable=False),
                "birth_date": pa.Column(_DATE, nullable=False),
                "sex": pa.Column("string", pa.Check.isin(["M", "F"]), nullable=False),
            }
        case Kind.ID:
            return {column.name: pa.Column("string", nullable=nullable)}
        case Kind.PSEUDONYMISED_ID:
            # What the door writes: a hex HMAC-SHA256, never the delivered text.
            check = pa.Check.str_matches(r"^[0-9a-f]{64}$")
            return {column.name: pa.Column("string", check, nullable=nullable)}
        case Kind.TEXT:
            return {column.name: pa.Column("string", nullable=nullable)}
        case Kind.DATE | Kind.MONTH:
            return {column.name: pa.Column(_DATE, nullable=nullable)}
        case Kind.BOOLEAN:
            return {column.name: pa.Column("bool", nullable=False)}
        case Kind.DECIMAL:
            return {column.name: pa.Column("Float64", _decimal_checks(column), nullable=nullable)}
        case Kind.ENUM:
            codes = sorted(set(column.values.values()))
            return {column.name: pa.Column("string", pa.Check.isin(codes), nullable=nullable)}
        case Kind.SCHOOL_YEAR:
            check = pa.Check.str_matches(r"^\d{4}/\d{2}$")
            return {column.name: pa.Column("string", check, nullable=nullable)}
        case Kind.ACCOUNT:
            check = pa.Check.str_matches(r"^\d\.\d{2}\.\d{2}(\.\d{2})*$")
            return {column.name: pa.Column("string", check, nullable=nullable)}
        case Kind.LEGAL_REFERENCE:
            allowed = ["INVESTIGATION"] if spec.name == "investigations" else list(CATEGORIES)
            category_check = pa.Check(
                lambda s: s.isna() | s.isin(allowed),
                name="not_an_investigation" if spec.name == "investigations" else "isin",
            )
            return {
                column.name: pa.Column("string", nullable=False),
                "law": pa.Column("string", pa.Check.isin(["SEL", "BL"]), nullable=False),
                "paragraph": pa.Column("Int64", nullable=False),
                "letter": pa.Column("string", nullable=True),
                "stk": pa.Column("Int64", nullable=True),
                "nr": pa.Column("Int64", nullable=True),
                "category": pa.Column("string", category_check, nullable=False),
            }
        case Kind.PLACEMENT_TYPE:
            return {
                column.name: pa.Column("string", pa.Check.isin(PLACEMENT_TYPES), nullable=True),
                "placement_dst_code": pa.Column("Int64", nullable=True),
            }
    raise AssertionError(f"no contract for column kind {column.kind}")


def _decimal_checks(column: ColumnSpec) -> list[pa.Check]:
    if column.name == "absence_pct":
        return [pa.Check.in_range(0, 100, name="value_not_allowed")]
    return []


def _date_after_delivery_checks(spec: FileSpec) -> list[pa.Check]:
    checks = []
    for column in spec.columns:
        if column.kind not in (Kind.DATE, Kind.MONTH):
            continue
        if (spec.name, column.name) in DATES_ALLOWED_AFTER_DELIVERY:
            continue
        checks.append(
            pa.Check(
                lambda df, name=column.name: df[name].isna() | (df[name] <= df["delivery_date"]),
                name=f"date_after_delivery[{column.name}]",
            )
        )
    return checks


def _date_order_checks(spec: FileSpec) -> list[pa.Check]:
    return [
        pa.Check(
            lambda df, early=early, late=late: (
                df[late].isna() | df[early].isna() | (df[late] >= df[early])
            ),
            name=f"end_before_start[{late}]",
        )
        for file, early, late in DATE_ORDER_RULES
        if file == spec.name
    ]


def violations(contract: Contract, frame: pd.DataFrame) -> pd.DataFrame:
    """Every (row, column, rule) of `frame` that breaks the contract; empty when none."""
    try:
        contract.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _records(errors.failure_cases)
    return pd.DataFrame(
        {
            "row": pd.Series(dtype="int64"),
            "column": pd.Series(dtype="string"),
            "rule": pd.Series(dtype="string"),
        }
    )


def _records(failure_cases: pd.DataFrame) -> pd.DataFrame:
    cases = failure_cases[["column", "check", "index"]].copy()
    # Schema-level problems (a missing column, a wrong dtype) have no row: they are bugs in the
    # pipeline, not in the delivery, and must not be quarantined as data.
    structural = cases["index"].isna()
    if structural.any():
        problems = cases.loc[structural, ["column", "check"]].drop_duplicates()
        described = "; ".join(f"{c}: {k}" for c, k in problems.itertuples(index=False))
        raise ContractStructureError(f"the typed frame does not fit its contract: {described}")
    check = cases["check"].astype("string")
    bracketed = check.str.extract(r"^(?P<rule>[^\[]+)\[(?P<column>[^\]]+)\]$")
    rule = bracketed["rule"].fillna(check.map(lambda c: _RULE_OF_BUILTIN.get(c, c)))
    column = bracketed["column"].fillna(cases["column"].astype("string"))
    column = column.map(lambda c: _INPUT_COLUMN.get(c, c))
    rule = rule.where(~((cases["column"] == "birth_date") & (rule == "required")), "cpr_invalid")
    records = pd.DataFrame(
        {"row": cases["index"].astype("int64"), "column": column, "rule": rule}
    ).astype({"column": "string", "rule": "string"})
    return records.drop_duplicates(ignore_index=True)


class ContractStructureError(RuntimeError):
    """The typed frame lacks a column or has a wrong type: a pipeline defect, not bad data."""
