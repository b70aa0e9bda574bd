"""Placement-type labels -> placement type and DST code (SPEC §4 placement table)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from pipeline.sources import placement_types as pt
from pipeline.sources.placement_types import (
    PLACEMENT_TYPES,
    UNKNOWN_LABEL,
    PlacementTypes,
    PlacementTypesError,
    map_placement_labels,
    normalise_label,
)

INSTITUTIONS = {"RESIDENTIAL_INSTITUTION", "SECURE_INSTITUTION", "SOCIAL_PEDAGOGICAL_HOME"}
FOSTER_FAMILIES = {"FOSTER_FAMILY", "MUNICIPAL_FOSTER_FAMILY", "NETWORK_FOSTER_FAMILY"}


@pytest.fixture(scope="module")
def types() -> PlacementTypes:
    return PlacementTypes.from_seed()


@pytest.mark.parametrize(
    ("label", "placement_type", "dst_code"),
    [
        ("plejefamilie", "FOSTER_FAMILY", 21),
        ("almindelig plejefamilie", "FOSTER_FAMILY", 21),
        ("almen plejefamilie", "FOSTER_FAMILY", 23),
        ("forstærket plejefamilie", "FOSTER_FAMILY", 24),
        ("specialiseret plejefamilie", "FOSTER_FAMILY", 25),
        ("plejefamilie efter § 76 a", "FOSTER_FAMILY", 26),
        ("kommunal plejefamilie", "MUNICIPAL_FOSTER_FAMILY", 22),
        ("netværksplejefamilie", "NETWORK_FOSTER_FAMILY", 1),
        ("døgninstitution", "RESIDENTIAL_INSTITUTION", 9),
        ("døgninstitution, almindelig afdeling", "RESIDENTIAL_INSTITUTION", 9),
        ("delvis lukket døgninstitution", "RESIDENTIAL_INSTITUTION", 7),
        ("børne- og ungehjem", "RESIDENTIAL_INSTITUTION", 9),
        ("sikret døgninstitution", "SECURE_INSTITUTION", 8),
        ("sikret afdeling", "SECURE_INSTITUTION", 8),
        ("socialpædagogisk opholdssted", "SOCIAL_PEDAGOGICAL_HOME", 27),
        ("opholdssted for børn og unge", "SOCIAL_PEDAGOGICAL_HOME", 27),
        ("eget værelse", "OWN_ROOM", 6),
        ("kollegium", "OWN_ROOM", 6),
        ("kollegielignende opholdssted", "OWN_ROOM", 6),
        ("kostskole", "BOARDING_SCHOOL", 11),
        ("efterskole", "BOARDING_SCHOOL", 11),
        ("andet", "OTHER", 99),
        ("uoplyst", "OTHER", 99),
        ("skibsprojekt", "OTHER", 99),
    ],
)
def test_every_spec_label(types: PlacementTypes, label: str, placement_type: str, dst_code: int):
    assert types.lookup(label) == pt.PlacementType(placement_type, dst_code)


@pytest.mark.parametrize("code", PLACEMENT_TYPES)
def test_the_codes_themselves_are_accepted_in_any_case(types: PlacementTypes, code: str) -> None:
    for written in (code, code.lower(), f"  {code.title()} "):
        mapped = types.lookup(written)
        assert mapped is not None
        assert mapped.placement_type == code


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Forstærket Plejefamilie", "forstærket plejefamilie"),
        ("  SIKRET   DØGNINSTITUTION ", "sikret døgninstitution"),
        ("sikret\u00a0afdeling", "sikret afdeling"),
        ("børne-\u00a0og\tungehjem", "børne- og ungehjem"),
        ("Døgninstitution,almindelig afdeling", "døgninstitution, almindelig afdeling"),
        ("døgninstitution ,  almindelig afdeling", "døgninstitution, almindelig afdeling"),
        ("kost\u00adskole", "kostskole"),
    ],
)
def test_case_and_whitespace_do_not_matter(types: PlacementTypes, written: str, canonical: str):
    assert normalise_label(written) == canonical
    assert types.lookup(written) == types.lookup(canonical) is not None


def test_vectorised_mapping(types: PlacementTypes) -> None:
    labels = pd.Series(
        ["Almen plejefamilie", "ukendt sted", None, "", "  ", float("nan"), "OWN_ROOM"],
        index=list("abcdefg"),
    )
    result = map_placement_labels(labels, placement_types=types)
    assert list(result.columns) == ["placement_type", "dst_code", "failure"]
    assert result.index.equals(labels.index)
    assert str(result["dst_code"].dtype) == "Int64"
    assert result.loc["a"].tolist() == ["FOSTER_FAMILY", 23, None]
    assert result.loc["b", "placement_type"] is None
    assert result.loc["b", "failure"] == UNKNOWN_LABEL
    for empty in "cdef":  # an empty type is not an error here; the caller decides
        assert result.loc[empty, "placement_type"] is None
        assert result.loc[empty, "failure"] is None
    assert result.loc["g", "placement_type"] == "OWN_ROOM"


def test_vectorised_mapping_normalises_each_distinct_label_once(monkeypatch, types) -> None:
    calls: list[str] = []
    original = pt.normalise_label

    def counting(label: str) -> str:
        calls.append(label)
        return original(label)

    monkeypatch.setattr(pt, "normalise_label", counting)
    result = types.map_labels(pd.Series(["kostskole", "Efterskole", "kostskole"] * 10_000))
    assert len(calls) == 2
    assert set(result["placement_type"]) == {"BOARDING_SCHOOL"}


def test_default_seed_is_used_without_arguments() -> None:
    assert map_placement_labels(pd.Series(["efterskole"])).loc[0, "dst_code"] == 11


def _codes_seed() -> list[dict[str, str]]:
    path = pt.default_labels_path().with_name("placement_type_codes.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_type_codes_seed_flags_the_indicator_groups() -> None:
    rows = _codes_seed()
    assert list(rows[0]) == [
        "placement_type", "name_da", "name_en", "is_institution", "is_foster_family",
        "counts_in_indicator_3", "counts_in_indicator_4", "indicator_group", "source",
    ]  # fmt: skip
    assert [row["placement_type"] for row in rows] == list(PLACEMENT_TYPES)
    # PLACEMENT_TYPES is read from this seed; the seed is held to SPEC §4's table here.
    assert PLACEMENT_TYPES == (
        "FOSTER_FAMILY",
        "MUNICIPAL_FOSTER_FAMILY",
        "NETWORK_FOSTER_FAMILY",
        "RESIDENTIAL_INSTITUTION",
        "SECURE_INSTITUTION",
        "SOCIAL_PEDAGOGICAL_HOME",
        "OWN_ROOM",
        "BOARDING_SCHOOL",
        "OTHER",
    )
    assert {r["placement_type"] for r in rows if r["is_institution"] == "true"} == INSTITUTIONS
    assert {r["placement_type"] for r in rows if r["is_foster_family"] == "true"} == FOSTER_FAMILIES
    # Indicator 3 takes general and municipal foster families; network foster care is 4.
    assert {r["placement_type"] for r in rows if r["counts_in_indicator_3"] == "true"} == {
        "FOSTER_FAMILY",
        "MUNICIPAL_FOSTER_FAMILY",
    }
    assert {r["placement_type"] for r in rows if r["counts_in_indicator_4"] == "true"} == {
        "NETWORK_FOSTER_FAMILY"
    }
    assert {r["is_institution"] for r in rows} | {r["is_foster_family"] for r in rows} == {
        "true",
        "false",
    }


def test_every_type_has_labels_and_one_dst_code_set(types: PlacementTypes) -> None:
    mapped = {value.placement_type for value in types.labels.values()}
    assert mapped == set(PLACEMENT_TYPES)
    # SPEC §4 lists the DST codes of each type; a label may use only those.
    spec_codes = {
        "FOSTER_FAMILY": {21, 23, 24, 25, 26},
        "MUNICIPAL_FOSTER_FAMILY": {22},
        "NETWORK_FOSTER_FAMILY": {1},
        "RESIDENTIAL_INSTITUTION": {9, 7},
        "SECURE_INSTITUTION": {8},
        "SOCIAL_PEDAGOGICAL_HOME": {27},
        "OWN_ROOM": {6},
        "BOARDING_SCHOOL": {11},
        "OTHER": {99},
    }
    for value in types.labels.values():
        assert value.dst_code in spec_codes[value.placement_type], value


HEADER = "label,placement_type,dst_code,source\n"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("label,type\nx,OTHER\n", "columns must be"),
        (HEADER + "x,CASTLE,99,s\n", "unknown placement type"),
        (HEADER + "x,OTHER,nine,s\n", "dst_code"),
        (HEADER + ",OTHER,99,s\n", "empty label"),
        (HEADER + "x,OTHER,99,\n", "source is empty"),
        (HEADER + "Kostskole,BOARDING_SCHOOL,11,s\nkostskole ,OTHER,99,s\n", "repeats"),
    ],
)
def test_malformed_seed_is_refused(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "placement_types.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlacementTypesError, match=problem):
        PlacementTypes.from_seed(path)
