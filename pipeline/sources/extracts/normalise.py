"""Typing the text columns of one delivered file, and pseudonymising its CPR numbers.

Output: the typed frame the contracts validate and the warehouse stores, plus one record per
value that could not be read (those rows go to quarantine). The raw CPR column is dropped here:
nothing downstream of this module ever sees it. Site ids (placement_site_id) are replaced by
keyed pseudonyms here too: they are only compared, and one may be a foster parent's CPR number.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha256

import pandas as pd

from pipeline.sources import cpr
from pipeline.sources.extracts import parsing
from pipeline.sources.extracts.spec import ColumnSpec, FileSpec, Kind
from pipeline.sources.legal_references import BARNETS_LOV_FROM, classify_references
from pipeline.sources.placement_types import map_placement_labels

# The date that decides which law an unqualified legal reference belongs to.
_LAW_DATE_COLUMN = {"measures": "start_date", "investigations": "decision_date"}

# Rule names recorded in quarantine for values that cannot be read.
RULE_FOR_KIND = {
    Kind.CPR: "cpr_invalid",
    Kind.DATE: "date_invalid",
    Kind.BOOLEAN: "boolean_invalid",
    Kind.DECIMAL: "number_invalid",
    Kind.ENUM: "value_not_allowed",
    Kind.MONTH: "month_invalid",
    Kind.SCHOOL_YEAR: "school_year_invalid",
    Kind.ACCOUNT: "account_invalid",
    Kind.PSEUDONYMISED_ID: "identifier_too_long",
}
# A site id (Tilbudsportalen id, p-number) is short; a longer value is not an id.
MAX_IDENTIFIER_LENGTH = 100


@dataclass(frozen=True)
class Normalised:
    frame: pd.DataFrame  # typed; indexed like the raw rows
    failures: pd.DataFrame  # columns: row (index label), column, rule


def normalise(
    spec: FileSpec,
    raw: pd.DataFrame,
    lineage: pd.DataFrame,
    key: bytes,
    pseudonyms: dict[str, str] | None = None,
) -> Normalised:
    """Type the text columns of one file (of one or many deliveries stacked together).

    `raw` holds the contract's columns as text; `lineage` (same index) the municipality_code,
    delivery_date and line_number of each row. `pseudonyms` carries the pseudonyms already
    computed for other files of the same deliveries.
    """
    text = raw[[c.name for c in spec.columns]].apply(parsing.clean)
    typed: dict[str, pd.Series] = {}
    failures: list[pd.DataFrame] = []

    def fail(mask: pd.Series, column: str, rule: str) -> None:
        if mask.any():
            rows = mask.index[mask.to_numpy()]
            failures.append(pd.DataFrame({"row": rows, "column": column, "rule": rule}))

    # Dates first: the law of an unqualified legal reference depends on one of them.
    for column in spec.columns:
        if column.kind in (Kind.LEGAL_REFERENCE, Kind.PLACEMENT_TYPE):
            continue
        if column.kind is Kind.CPR:
            typed.update(_pseudonymised(text[column.name], key, pseudonyms))
            fail(text[column.name].ne("") & typed["birth_date"].isna(), column.name, "cpr_invalid")
            continue
        if column.kind is Kind.PSEUDONYMISED_ID:
            values = parsing.identifiers(text[column.name]).values
            typed[column.name] = _pseudonymised_identifiers(values, key, column.name)
            too_long = values.str.len().gt(MAX_IDENTIFIER_LENGTH).fillna(False).astype(bool)
            fail(too_long, column.name, RULE_FOR_KIND[column.kind])
            continue
        parser = _PARSERS[column.kind]
        if column.kind in (Kind.ID, Kind.TEXT):  # mostly distinct already
            parsed = parser(text[column.name], column)
        else:
            parsed = parsing.on_distinct(text[column.name], lambda s, p=parser, c=column: p(s, c))
        typed[column.name] = parsed.values
        fail(parsed.bad, column.name, RULE_FOR_KIND.get(column.kind, "value_invalid"))

    for column in spec.columns:
        if column.kind is Kind.LEGAL_REFERENCE:
            law_date = typed.get(_LAW_DATE_COLUMN.get(spec.name, ""))
            default_law = pd.Series("BL", index=text.index, dtype="string")
            if law_date is not None:
                default_law = default_law.where(~(law_date < pd.Timestamp(BARNETS_LOV_FROM)), "SEL")
            refs = classify_references(text[column.name], default_law)
            typed[column.name] = text[column.name].where(text[column.name].ne(""))
            for part in ("law", "paragraph", "letter", "stk", "nr", "category"):
                typed[part] = refs[part]
            fail(
                text[column.name].ne("") & refs["failure"].notna(),
                column.name,
                "legal_reference_unmapped",
            )

    for column in spec.columns:
        if column.kind is Kind.PLACEMENT_TYPE:
            # A placement type on a measure that is not a placement is ignored (SPEC §11).
            is_placement = typed.get("category", pd.Series(dtype="string")).eq("PLACEMENT")
            is_placement = is_placement.reindex(text.index, fill_value=False).fillna(False)
            labels = text[column.name].where(is_placement, "")
            mapped = map_placement_labels(labels)
            typed[column.name] = mapped["placement_type"].astype("string")
            typed["placement_dst_code"] = mapped["dst_code"]
            fail(labels.ne("") & mapped["failure"].notna(), column.name, "placement_type_unknown")

    frame = pd.concat(
        [lineage[["municipality_code", "delivery_date", "line_number"]], pd.DataFrame(typed)],
        axis=1,
    )
    found = pd.concat(failures, ignore_index=True) if failures else _no_failures()
    return Normalised(frame=frame, failures=found)


def _no_failures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": pd.Series(dtype="int64"),
            "column": pd.Series(dtype="string"),
            "rule": pd.Series(dtype="string"),
        }
    )


def _pseudonymised(
    values: pd.Series, key: bytes, pseudonyms: dict[str, str] | None
) -> dict[str, pd.Series]:
    """Pseudonym, birth date and sex, worked out once per distinct CPR number."""
    codes, distinct = pd.factorize(values)
    numbers = pd.Series(distinct, dtype="string")
    births = cpr.birth_dates(numbers)
    per_number = {
        "person_id": cpr.pseudonymise(numbers, key, pseudonyms),
        "birth_date": births.astype("datetime64[us]"),
        "sex": cpr.sexes(numbers, births),
    }
    return {name: column.iloc[codes].set_axis(values.index) for name, column in per_number.items()}


def _pseudonymised_identifiers(values: pd.Series, key: bytes, domain: str) -> pd.Series:
    """Keyed HMAC-SHA256 (hex) of each identifier, with the column's name in front, so equal
    ids stay equal, nothing delivered is stored, and an id that happens to be a CPR number
    never gets that person's pseudonym. Missing stays missing."""
    digests = {
        value: hmac.digest(key, f"{domain}\0{value}".encode(), sha256).hex()
        for value in values.dropna().unique().tolist()
    }
    return values.map(digests).astype("string")


_Parser = Callable[[pd.Series, ColumnSpec], parsing.Parsed]

_PARSERS: dict[Kind, _Parser] = {
    Kind.ID: lambda s, _: parsing.identifiers(s),
    Kind.TEXT: lambda s, _: parsing.texts(s),
    Kind.DATE: lambda s, _: parsing.dates(s),
    Kind.BOOLEAN: lambda s, _: parsing.booleans(s),
    Kind.DECIMAL: lambda s, _: parsing.decimals(s),
    Kind.ENUM: lambda s, column: parsing.enums(s, column.values),
    Kind.MONTH: lambda s, _: parsing.months(s),
    Kind.SCHOOL_YEAR: lambda s, _: parsing.school_years(s),
    Kind.ACCOUNT: lambda s, _: parsing.accounts(s),
}
