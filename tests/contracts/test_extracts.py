"""The extract contracts accept exactly the categories and placement types of the seeds.

The seeds are the one list (SPEC §4, §7); these tests read the CSV files themselves, so a list
written into the contract or the readers again, and not kept equal to the seed, fails here.
"""

from __future__ import annotations

import csv

import pandas as pd
import pandera.pandas as pa

from pipeline.contracts.extracts import contract_for
from pipeline.paths import SEEDS_DIR
from pipeline.sources.extracts.spec import FILES_BY_NAME
from pipeline.sources.legal_references import CATEGORIES
from pipeline.sources.placement_types import PLACEMENT_TYPES


def _seed_column(file: str, column: str) -> list[str]:
    with (SEEDS_DIR / "reference" / file).open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def _passes(column: pa.Column, value: str) -> bool:
    series = pd.Series([value], dtype="string")
    return all(bool(check(series).check_passed) for check in column.checks)


SEED_CATEGORIES = _seed_column("measure_categories.csv", "category")
SEED_PLACEMENT_TYPES = _seed_column("placement_type_codes.csv", "placement_type")


def test_the_python_lists_are_the_seeds() -> None:
    assert list(CATEGORIES) == SEED_CATEGORIES
    assert list(PLACEMENT_TYPES) == SEED_PLACEMENT_TYPES


def test_the_measures_contract_accepts_every_seed_category_and_no_other() -> None:
    category = contract_for(FILES_BY_NAME["measures"]).schema.columns["category"]
    assert [c for c in SEED_CATEGORIES if not _passes(category, c)] == []
    assert not _passes(category, "NOT_A_CATEGORY")


def test_the_investigations_contract_accepts_only_investigation() -> None:
    category = contract_for(FILES_BY_NAME["investigations"]).schema.columns["category"]
    assert [c for c in SEED_CATEGORIES if _passes(category, c)] == ["INVESTIGATION"]


def test_the_measures_contract_accepts_every_seed_placement_type_and_no_other() -> None:
    placement_type = contract_for(FILES_BY_NAME["measures"]).schema.columns["placement_type"]
    assert [t for t in SEED_PLACEMENT_TYPES if not _passes(placement_type, t)] == []
    assert not _passes(placement_type, "NOT_A_PLACEMENT_TYPE")
