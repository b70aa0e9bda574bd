"""Placement-type labels (anbringelsessted) as case systems write them, mapped to one code.

Why: indicators 1-4, 7 and 12 split placements by type, and extracts write the type as Danish
free text ("Forstærket plejefamilie", "døgninstitution, almindelig afdeling", "børne- og
ungehjem") or as our code ("FOSTER_FAMILY"). The mapping is reference data (SPEC §4, §7), kept
in ``dbt_project/seeds/reference/placement_types.csv`` with Danmarks Statistik's ANBRINGELSE
code beside each label, so a municipality can add its own labels without code changes.

A label matches after normalisation only: lower case, NFKC (non-breaking spaces become spaces),
runs of whitespace collapsed, one space after a comma. There is no fuzzy matching: an unknown
label is reported ("unknown placement type label", the caller quarantines the row), because a
near match could be a different type. An empty label gives no type and no failure; whether a
placement may lack a type is the caller's rule (SPEC §11: a PLACEMENT without one is
quarantined, a type on another measure is ignored).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import pandas as pd

from pipeline.paths import SEEDS_DIR


def _placement_types(path: Path) -> tuple[str, ...]:
    """The placement types of SPEC §4, in the seed's order: the seed is their one list."""
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(row["placement_type"].strip() for row in csv.DictReader(handle))


#: The placement type codes (the ``placement_type_codes`` seed); labels must map to one of
#: these, and the extract contract accepts no other.
PLACEMENT_TYPES: Final = _placement_types(SEEDS_DIR / "reference" / "placement_type_codes.csv")
LABEL_COLUMNS: Final = ("label", "placement_type", "dst_code", "source")
RESULT_COLUMNS: Final = ("placement_type", "dst_code", "failure")
UNKNOWN_LABEL: Final = "unknown placement type label"

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"\s+")
_COMMA = re.compile(r"\s*,\s*")


def default_labels_path() -> Path:
    """The seed file; a function so tests and callers see the same path."""
    return SEEDS_DIR / "reference" / "placement_types.csv"


class PlacementTypesError(ValueError):
    """The placement-type seed is malformed; the run must not map anything with it."""


def normalise_label(label: str) -> str:
    """The one spelling a label is looked up by (also applied to the seed's own labels)."""
    text = unicodedata.normalize("NFKC", label).translate(_INVISIBLE).casefold()
    return _COMMA.sub(", ", _SPACES.sub(" ", text)).strip()


@dataclass(frozen=True)
class PlacementType:
    placement_type: str
    dst_code: int


class PlacementTypes:
    """Normalised label -> (placement type, DST code), loaded from the seed."""

    def __init__(self, labels: dict[str, PlacementType]) -> None:
        self.labels = dict(labels)

    @classmethod
    def from_seed(cls, path: Path | None = None) -> PlacementTypes:
        """Read and validate the seed; a malformed seed raises :class:`PlacementTypesError`."""
        path = default_labels_path() if path is None else path
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != LABEL_COLUMNS:
                raise PlacementTypesError(
                    f"{path.name}: columns must be {','.join(LABEL_COLUMNS)}, "
                    f"not {','.join(reader.fieldnames or ())}"
                )
            labels: dict[str, PlacementType] = {}
            for line, row in enumerate(reader, 2):
                label, mapped = _seed_row(row, f"{path.name} line {line}")
                if label in labels:
                    raise PlacementTypesError(f"{path.name} line {line}: label {label!r} repeats")
                labels[label] = mapped
        return cls(labels)

    def lookup(self, label: str | None) -> PlacementType | None:
        """Scalar lookup; None for an unknown or empty label."""
        if label is None or pd.isna(label):
            return None
        return self.labels.get(normalise_label(label))

    def map_labels(self, labels: pd.Series) -> pd.DataFrame:
        """Vectorised mapping; same index, columns ``RESULT_COLUMNS``.

        Labels are normalised once per distinct value (there are few) and spread back to the
        rows by integer codes, so millions of rows cost one dictionary lookup per distinct label.
        """
        codes, distinct = pd.factorize(labels, use_na_sentinel=False)
        table = pd.DataFrame.from_records(
            [self._map_one(value) for value in distinct], columns=list(RESULT_COLUMNS)
        )
        table["dst_code"] = table["dst_code"].astype("Int64")
        for column in ("placement_type", "failure"):
            table[column] = table[column].astype(object).where(table[column].notna(), None)
        return table.take(codes).set_axis(labels.index)

    def _map_one(self, value: object) -> tuple[str | None, int | None, str | None]:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None, None, None
        label = normalise_label(str(value))
        if not label:
            return None, None, None
        mapped = self.labels.get(label)
        if mapped is None:
            return None, None, UNKNOWN_LABEL
        return mapped.placement_type, mapped.dst_code, None


def _seed_row(row: dict[str, str | None], where: str) -> tuple[str, PlacementType]:
    values = {key: (value or "").strip() for key, value in row.items() if key is not None}
    label = normalise_label(values["label"])
    if not label:
        raise PlacementTypesError(f"{where}: empty label")
    if values["placement_type"] not in PLACEMENT_TYPES:
        raise PlacementTypesError(f"{where}: unknown placement type {values['placement_type']!r}")
    if not re.fullmatch(r"[0-9]{1,3}", values["dst_code"]):
        raise PlacementTypesError(f"{where}: dst_code must be a whole number")
    if not values["source"]:
        raise PlacementTypesError(f"{where}: source is empty; every label needs its source")
    return label, PlacementType(values["placement_type"], int(values["dst_code"]))


@lru_cache(maxsize=1)
def _default_placement_types() -> PlacementTypes:
    """The seed is read once per process."""
    return PlacementTypes.from_seed()


def map_placement_labels(
    labels: pd.Series, *, placement_types: PlacementTypes | None = None
) -> pd.DataFrame:
    """Map a column of labels with the default seed (see :meth:`PlacementTypes.map_labels`)."""
    mapping = _default_placement_types() if placement_types is None else placement_types
    return mapping.map_labels(labels)
