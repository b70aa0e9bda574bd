"""Legal-reference parsing and the SEL/BL crosswalk (SPEC §4 and the reference rules of §11)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.sources import legal_references as lr
from pipeline.sources.legal_references import (
    BL,
    CATEGORIES,
    SEL,
    CrosswalkError,
    LegalCrosswalk,
    LegalReference,
    LegalReferenceError,
    classify_references,
    describe_reference,
    law_for_start,
    laws_for_starts,
    parse_legal_reference,
)

BEFORE = dt.date(2023, 12, 31)  # last day of Serviceloven
FROM = dt.date(2024, 1, 1)  # first day of Barnets Lov


@pytest.fixture(scope="module")
def crosswalk() -> LegalCrosswalk:
    return LegalCrosswalk.from_seed()


def ref(law, paragraph, letter=None, stk=None, nr=None) -> LegalReference:
    return LegalReference(law, paragraph, letter, stk, nr)


def category(crosswalk: LegalCrosswalk, text: str, start: dt.date | None = None) -> str | None:
    return crosswalk.classify(parse_legal_reference(text), start).category


# --- notations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # SPEC §4's own examples
        ("SEL § 52, stk. 3, nr. 7", ref(SEL, 52, stk=3, nr=7)),
        ("§52 stk.3 nr.7", ref(None, 52, stk=3, nr=7)),
        ("Serviceloven § 52, stk. 3, nr. 7", ref(SEL, 52, stk=3, nr=7)),
        ("BL § 46", ref(BL, 46)),
        ("Barnets lov §32 stk 1 nr 3", ref(BL, 32, stk=1, nr=3)),
        ("SEL-52-3.7", ref(SEL, 52, stk=3, nr=7)),
        ("SEL-52-a.1.2", ref(SEL, 52, "a", 1, 2)),
        ("SEL-58 jf. 52-3.7", ref(SEL, 58)),
        # the variants of the brief
        ("Barnets Lov § 32, stk. 1, nr. 6", ref(BL, 32, stk=1, nr=6)),
        ("servicelovens § 52, stk. 3, nr. 7", ref(SEL, 52, stk=3, nr=7)),
        ("SEL § 52 a", ref(SEL, 52, "a")),
        ("§ 52a, stk. 1, nr. 2", ref(None, 52, "a", 1, 2)),
        ("SEL § 57 a", ref(SEL, 57, "a")),
        ("BL-32-1.6", ref(BL, 32, stk=1, nr=6)),
        ("SEL 52.3.7", ref(SEL, 52, stk=3, nr=7)),
        ("§ 11, stk. 3", ref(None, 11, stk=3)),
        ("§ 11 stk. 3 nr. 2", ref(None, 11, stk=3, nr=2)),
        ("Lov om social service § 52, stk. 3, nr. 7", ref(SEL, 52, stk=3, nr=7)),
        # case, punctuation, spacing
        ("sel § 52, STK. 3, NR. 7", ref(SEL, 52, stk=3, nr=7)),
        ("SEL § 52 stk 3 nr 7", ref(SEL, 52, stk=3, nr=7)),
        ("  SEL   §  52 ,  stk . 3 , nr . 7  ", ref(SEL, 52, stk=3, nr=7)),
        ("SEL\u00a0§\u00a052,\u00a0stk.\u00a03,\u00a0nr.\u00a07", ref(SEL, 52, stk=3, nr=7)),
        ("SEL\u202f§\u202f52, stk.\u20093", ref(SEL, 52, stk=3)),
        ("SEL § 52, stk. 3, nr. 7.", ref(SEL, 52, stk=3, nr=7)),
        ("SEL § 52, stk. 3, nr. 7;", ref(SEL, 52, stk=3, nr=7)),
        ('"BL § 46"', ref(BL, 46)),
        ("\ufeffBL § 46", ref(BL, 46)),
        ("SEL § 52 A", ref(SEL, 52, "a")),
        ("BL§46", ref(BL, 46)),
        ("bl.§ 46", ref(BL, 46)),
        # law written after the provision, or in the genitive
        ("§ 52, stk. 3, nr. 7 i serviceloven", ref(SEL, 52, stk=3, nr=7)),
        ("§ 46 efter barnets lov", ref(BL, 46)),
        ("barnets lovs § 46", ref(BL, 46)),
        ("§ 46, BL", ref(BL, 46)),
        # words for §, stk. and nr.
        ("paragraf 52 stykke 3 nummer 7", ref(None, 52, stk=3, nr=7)),
        # key notation variants
        ("SEL-58-", ref(SEL, 58)),
        ("SEL-58", ref(SEL, 58)),
        ("SEL-52-a", ref(SEL, 52, "a")),
        ("SEL-52-3", ref(SEL, 52, stk=3)),
        ("SEL-57-c.1", ref(SEL, 57, "c", 1)),
        ("sel-52-3.7", ref(SEL, 52, stk=3, nr=7)),
        ("SEL - 52 - 3.7", ref(SEL, 52, stk=3, nr=7)),
        ("SEL\u201352\u20133.7", ref(SEL, 52, stk=3, nr=7)),
        # dotted notation
        ("§ 52.3.7", ref(None, 52, stk=3, nr=7)),
        ("SEL 52a.1.2", ref(SEL, 52, "a", 1, 2)),
        ("BL 32.1", ref(BL, 32, stk=1)),
        # cross-references and comments are not read
        ("SEL-44-jfr. §84", ref(SEL, 44)),
        ("BL § 46 jf. § 47", ref(BL, 46)),
        ("§ 52, stk. 3, nr. 7 jævnfør § 58", ref(None, 52, stk=3, nr=7)),
        ("SEL § 58 (anbringelse uden samtykke)", ref(SEL, 58)),
        ("§ 52, stk. 3, nr. 7 (SEL)", ref(SEL, 52, stk=3, nr=7)),
        ("§ 58 (serviceloven)", ref(SEL, 58)),
        ("BL § 46 (jf. § 47)", ref(BL, 46)),
        # "N. pkt." is ignored
        ("§ 52, stk. 3, nr. 7, 1. pkt.", ref(None, 52, stk=3, nr=7)),
        ("SEL § 58, stk. 1, 2. pkt.", ref(SEL, 58, stk=1)),
        # a bare paragraph number, and nr. without stk. (single-stk. paragraphs)
        ("58", ref(None, 58)),
        ("BL § 30, nr. 2", ref(BL, 30, nr=2)),
    ],
)
def test_parses_every_notation(text: str, expected: LegalReference) -> None:
    assert parse_legal_reference(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\u00a0", "empty"),
        ("§§ 21-22", "several provisions"),
        ("BL §§ 75-76", "several provisions"),
        ("§ 52, stk. 3, nr. 1-4", "range"),
        ("§ 21-22", "range"),
        ("21-22", "range"),  # key notation needs its law: a bare "21-22" may be a range
        ("52-3.7", "range"),
        ("§ 52, stk. 3 og 4", "several provisions"),
        ("§ 75 eller § 76", "several provisions"),
        ("§ 52, stk. 3, nr. 7/§ 58", "several provisions"),
        ("SEL § 52 BL", "both Serviceloven and Barnets Lov"),
        ("SEL § 52, stk. 3, nr. 7 (BL § 32)", "both Serviceloven and Barnets Lov"),
        ("FSL-20-2", "unknown law 'fsl'"),
        ("IGL-23-D", "unknown law 'igl'"),
        ("sundhedsloven § 5", "unrecognised word 'sundhedsloven'"),
        ("§ 13 lov om bekæmpelse af ungdomskriminalitet", "unrecognised word"),
        ("§ 52 bl.a. stk. 3", "unrecognised word 'bl'"),
        ("anbringelse", "unrecognised word 'anbringelse'"),
        ("SEL", "no paragraph number"),
        ("stk. 3, nr. 7", "no paragraph number"),
        ("jf. § 52", "nothing before 'jf.'"),
        ("SEL § 52, stk.", "'stk.' without a number"),
        ("SEL § 52, stk. 3, nr.", "'nr.' without a number"),
        ("§ 52, stk. 3, stk. 4", "out of place"),
        ("§ 52, nr. 7, stk. 3", "out of place"),
        ("§ 52 stk 3 nr 7 8", "unexpected number"),
        ("§ 0", "start at 1"),
        ("§ 52, stk. 0", "start at 1"),
        ("§ 123456", "too long"),
        ("§ 52 stk 3 nr 7 ?", "unexpected character"),
        ("§ ٥٢", "unexpected character"),  # Arabic-Indic digits are not read as numbers
    ],
)
def test_rejects_what_it_cannot_read_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(LegalReferenceError) as caught:
        parse_legal_reference(text)
    assert reason in caught.value.reason


def test_rejects_non_text() -> None:
    with pytest.raises(LegalReferenceError, match="not text"):
        parse_legal_reference(None)  # type: ignore[arg-type]


def test_reasons_never_repeat_digits_from_the_input() -> None:
    """A CPR number in the wrong column must not reach the quarantine through a reason."""
    for text in ("0101901234", "§ 52 0101901234", "cpr0101901234", "FSL0101-20"):
        with pytest.raises(LegalReferenceError) as caught:
            parse_legal_reference(text)
        assert not any(character.isdigit() for character in caught.value.reason)


def test_reference_prints_in_the_usual_notation() -> None:
    assert str(ref(SEL, 52, "a", 1, 2)) == "SEL § 52 a, stk. 1, nr. 2"
    assert str(ref(None, 58)) == "§ 58"


# --- SPEC §4 table and SPEC §11 reference rules ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SEL § 11, stk. 3, nr. 1", "PREVENTIVE_OFFER"),
        ("SEL § 11, stk. 3, nr. 4", "PREVENTIVE_OFFER"),
        ("SEL § 11, stk. 3", "PREVENTIVE_OFFER"),
        ("SEL § 50", "INVESTIGATION"),
        ("SEL § 50, stk. 7", "INVESTIGATION"),
        ("SEL § 52, stk. 3, nr. 1", "HOME_BASED"),
        ("SEL § 52, stk. 3, nr. 2", "HOME_BASED"),
        ("SEL § 52, stk. 3, nr. 3", "HOME_BASED"),
        ("SEL § 52, stk. 3, nr. 4", "FAMILY_RESIDENTIAL"),
        ("SEL § 52, stk. 3, nr. 5", "RESPITE"),
        ("SEL § 52, stk. 3, nr. 6", "HOME_BASED"),
        ("SEL § 52, stk. 3, nr. 7", "PLACEMENT"),
        ("SEL § 52, stk. 3, nr. 8", "HOME_BASED"),
        ("SEL § 52, stk. 3, nr. 9", "HOME_BASED"),
        ("SEL § 52 a", "HOME_BASED"),
        ("SEL § 52 a, stk. 1, nr. 2", "HOME_BASED"),
        ("SEL § 54", "PARENT_DIRECTED"),
        ("SEL § 54, stk. 2", "PARENT_DIRECTED"),
        ("SEL § 57 a", "ORDER"),
        ("SEL § 57 b", "ORDER"),
        ("SEL § 58", "PLACEMENT"),
        ("SEL § 70", "FOLLOW_UP"),
        ("SEL § 140", "ACTION_PLAN"),
        ("BL § 30, stk. 1, nr. 1", "PREVENTIVE_OFFER"),
        ("BL § 30, stk. 1, nr. 4", "PREVENTIVE_OFFER"),
        ("BL § 30", "PREVENTIVE_OFFER"),
        ("BL § 20", "INVESTIGATION"),
        ("BL § 20, stk. 3", "INVESTIGATION"),
        ("BL § 21", "INVESTIGATION"),
        ("BL § 22", "INVESTIGATION"),
        ("BL § 32, stk. 1, nr. 1", "HOME_BASED"),
        ("BL § 32, stk. 1, nr. 8", "HOME_BASED"),
        ("BL § 32, stk. 1, nr. 6", "FAMILY_RESIDENTIAL"),
        ("BL § 32, stk. 1, nr. 7", "RESPITE"),
        ("BL § 35", "HOME_BASED"),  # SPEC maps the paragraph as a whole
        ("BL § 35, stk. 4", "HOME_BASED"),
        ("BL § 35, stk. 4, nr. 4", "HOME_BASED"),
        ("BL § 46", "PLACEMENT"),
        ("BL § 47", "PLACEMENT"),
        ("BL § 75", "PARENT_DIRECTED"),
        ("BL § 76", "PARENT_DIRECTED"),
        ("BL § 38", "ORDER"),
        ("BL § 39", "ORDER"),
        ("BL § 95", "FOLLOW_UP"),
        ("BL § 96", "FOLLOW_UP"),
        ("BL § 91", "ACTION_PLAN"),
    ],
)
def test_spec_table(crosswalk: LegalCrosswalk, text: str, expected: str) -> None:
    assert category(crosswalk, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "SEL § 52",  # § 52 without stk./nr.
        "SEL § 52, stk. 3",  # § 52, stk. 3 without nr.
        "SEL § 52, stk. 1",
        "SEL § 52, stk. 3, nr. 10",
        "SEL § 11",  # § 11 without stk. 3
        "SEL § 11, stk. 2",
        "SEL § 13",  # an unknown paragraph
        "BL § 200",
        "SEL § 57",  # only § 57 a and § 57 b are orders
        "SEL § 54 a",  # an empty letter in the crosswalk means "no letter"
        "SEL § 50 b",
        "BL § 32 a",
        "BL § 52, stk. 3, nr. 7",  # a Serviceloven number read under Barnets Lov
    ],
)
def test_references_that_cannot_decide_a_category_are_unmapped(
    crosswalk: LegalCrosswalk, text: str
) -> None:
    outcome = crosswalk.classify(parse_legal_reference(text))
    assert outcome.category is None
    assert outcome.crosswalk_row is None
    assert outcome.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BL § 32, stk. 1, nr. 6", "FAMILY_RESIDENTIAL"),  # the most specific row wins
        ("BL § 32", "HOME_BASED"),  # any other § 32 is HOME_BASED
        ("BL § 32, stk. 1", "HOME_BASED"),
        ("BL § 32, stk. 3", "HOME_BASED"),
        ("BL § 32, stk. 2, nr. 6", "HOME_BASED"),
        ("BL § 32, nr. 6", "HOME_BASED"),  # without stk. 1 the row for nr. 6 does not match
        ("SEL § 58, stk. 1", "PLACEMENT"),  # extra qualifiers on a whole paragraph are ignored
        ("BL § 46, stk. 1", "PLACEMENT"),
        ("BL § 46, stk. 1, nr. 2", "PLACEMENT"),
        ("SEL-58 jf. 52-3.7", "PLACEMENT"),
    ],
)
def test_most_specific_row_wins_and_whole_paragraphs_ignore_qualifiers(
    crosswalk: LegalCrosswalk, text: str, expected: str
) -> None:
    assert category(crosswalk, text) == expected


def test_winning_row_is_reported(crosswalk: LegalCrosswalk) -> None:
    outcome = crosswalk.classify(parse_legal_reference("BL § 32, stk. 1, nr. 6"))
    assert outcome.crosswalk_row is not None
    assert (outcome.crosswalk_row.stk, outcome.crosswalk_row.nr) == (1, 6)
    assert outcome.reason is None


# SEL § 52, stk. 3, nr. 1, 2, 3, 4, 5, 6, 8, 9 became BL § 32, stk. 1, nr. 1, 2, 5, 6, 7, 3, 4, 8
RENUMBERING = [(1, 1), (2, 2), (3, 5), (4, 6), (5, 7), (6, 3), (8, 4), (9, 8)]


@pytest.mark.parametrize(("sel_nr", "bl_nr"), RENUMBERING)
def test_renumbering_keeps_the_category(crosswalk: LegalCrosswalk, sel_nr: int, bl_nr: int) -> None:
    before = category(crosswalk, f"§ 52, stk. 3, nr. {sel_nr}", BEFORE)
    after = category(crosswalk, f"§ 32, stk. 1, nr. {bl_nr}", FROM)
    assert before is not None
    assert before == after


def test_placement_and_economic_support_cross_the_change_of_law(crosswalk: LegalCrosswalk) -> None:
    assert category(crosswalk, "§ 52, stk. 3, nr. 7", BEFORE) == category(crosswalk, "§ 46", FROM)
    assert category(crosswalk, "§ 58", BEFORE) == category(crosswalk, "§ 47", FROM)
    assert category(crosswalk, "§ 52 a", BEFORE) == category(crosswalk, "§ 35, stk. 4", FROM)
    assert category(crosswalk, "§ 11, stk. 3", BEFORE) == category(crosswalk, "§ 30", FROM)


# --- the law of a reference without a law ----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "law"),
    [
        (dt.date(2023, 12, 31), SEL),
        (dt.date(2024, 1, 1), BL),
        (dt.date(2010, 5, 1), SEL),
        (dt.date(2030, 1, 1), BL),
        (None, BL),
        (dt.datetime(2023, 12, 31, 23, 59), SEL),
        (pd.Timestamp("2024-01-01"), BL),
        (pd.NaT, BL),
    ],
)
def test_law_by_start_date(start: dt.date | None, law: str) -> None:
    assert law_for_start(start) == law


def test_a_reference_without_law_is_read_by_date_and_flagged(crosswalk: LegalCrosswalk) -> None:
    reference = parse_legal_reference("§ 46")
    before = crosswalk.classify(reference, BEFORE)
    after = crosswalk.classify(reference, FROM)
    assert (before.law_used, before.category) == (SEL, None)  # SEL § 46 is not a placement
    assert (after.law_used, after.category) == (BL, "PLACEMENT")
    assert after.reference.law_inferred
    assert crosswalk.classify(reference, None).law_used == BL


def test_an_explicit_law_wins_over_the_date(crosswalk: LegalCrosswalk) -> None:
    outcome = crosswalk.classify(parse_legal_reference("SEL § 52, stk. 3, nr. 7"), FROM)
    assert (outcome.law_used, outcome.category) == (SEL, "PLACEMENT")
    assert not outcome.reference.law_inferred


def test_vectorised_law_by_date_matches_the_scalar_rule() -> None:
    starts = pd.Series([BEFORE, FROM, None, dt.date(1999, 1, 1)], index=[5, 6, 7, 8])
    laws = laws_for_starts(starts)
    assert laws.tolist() == [law_for_start(start) for start in starts]
    assert laws.index.equals(starts.index)


# --- the vectorised helper -------------------------------------------------------------------

MIXED = [
    "SEL § 52, stk. 3, nr. 7",
    "§ 52, stk. 3, nr. 7",
    "§ 46",
    "§ 32, stk. 1, nr. 6",
    "BL-32-1.6",
    "§ 52",
    "§§ 21-22",
    "sundhedsloven § 5",
    "",
    None,
    float("nan"),
    "§ 46",
]


def test_vectorised_helper_equals_the_scalar_classification(crosswalk: LegalCrosswalk) -> None:
    texts = pd.Series(MIXED * 3, index=range(100, 100 + 3 * len(MIXED)))
    laws = pd.Series(([SEL] * len(MIXED)) + ([BL] * len(MIXED)) + ([None] * len(MIXED)))
    laws.index = texts.index
    result = classify_references(texts, laws, crosswalk=crosswalk)

    assert list(result.columns) == list(lr.RESULT_COLUMNS)
    assert result.index.equals(texts.index)
    for index, text in texts.items():
        law = laws[index]
        start = BEFORE if law == SEL else FROM if law == BL else None
        expected = describe_reference(text, start, crosswalk=crosswalk) if _is_text(text) else None
        row = result.loc[index]
        if expected is None or not str(text).strip():
            assert row["failure"] == "empty legal reference"
            assert row["category"] is None
            continue
        assert row["category"] == expected["category"]
        assert row["failure"] == expected["reason"]
        for column in ("law", "paragraph", "letter", "stk", "nr"):
            value = row[column]
            assert (None if pd.isna(value) else value) == expected[column], (text, column)


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def test_vectorised_helper_parses_each_distinct_pair_once(monkeypatch, crosswalk) -> None:
    calls: list[str] = []
    original = lr.parse_legal_reference

    def counting(text: str) -> LegalReference:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(lr, "parse_legal_reference", counting)
    texts = pd.Series(["§ 46", "§ 58", "§ 46"] * 10_000)
    laws = pd.Series([SEL, BL] * 15_000)
    result = classify_references(texts, laws, crosswalk=crosswalk)
    assert len(calls) == 4  # ("§ 46", SEL), ("§ 58", BL), ("§ 46", BL), ("§ 58", SEL)
    assert len(result) == 30_000


def test_vectorised_helper_types_and_edge_cases(crosswalk: LegalCrosswalk) -> None:
    empty = classify_references(pd.Series([], dtype=object), pd.Series([], dtype=object))
    assert empty.empty
    assert list(empty.columns) == list(lr.RESULT_COLUMNS)

    result = classify_references(pd.Series(["§ 46", "x"]), pd.Series([BL, BL]), crosswalk=crosswalk)
    assert str(result["paragraph"].dtype) == "Int64"
    assert result.loc[0, "failure"] is None
    assert result.loc[1, "category"] is None

    with pytest.raises(ValueError, match="same index"):
        classify_references(pd.Series(["§ 46"], index=[1]), pd.Series([BL], index=[2]))
    with pytest.raises(ValueError, match="default law"):
        classify_references(pd.Series(["§ 46"]), pd.Series(["ABC"]), crosswalk=crosswalk)


# --- describe_reference (for `noegletal classify-reference`) ---------------------------------


def test_describe_reference_is_json_ready() -> None:
    classified = describe_reference("§ 46", FROM)
    assert classified == {
        "text": "§ 46",
        "law": BL,
        "law_inferred": True,
        "paragraph": 46,
        "letter": None,
        "stk": None,
        "nr": None,
        "category": "PLACEMENT",
        "reason": None,
    }
    failed = describe_reference("§§ 21-22")
    assert failed["category"] is None
    assert "several provisions" in failed["reason"]
    unmapped = describe_reference("SEL § 52")
    assert unmapped["law"] == SEL
    assert unmapped["category"] is None
    assert "does not decide" in unmapped["reason"]
    json.dumps([classified, failed, unmapped])


# --- the seed itself -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["BL § 35, stk. 1", "BL § 35, stk. 2, nr. 1", "§ 35, stk. 3"])
def test_a_provision_deliberately_without_category_is_unmapped_with_its_reason(
    crosswalk: LegalCrosswalk, text: str
) -> None:
    # The law text: § 35, stk. 1-3 are economic support, no measure of SPEC §4 (seed README).
    outcome = crosswalk.classify(parse_legal_reference(text), dt.date(2024, 6, 1))
    assert outcome.category is None
    assert outcome.crosswalk_row is not None and outcome.crosswalk_row.category is None
    assert "is not a measure category of SPEC §4" in outcome.reason
    assert "economic support" in outcome.reason


def test_seed_loads_and_uses_only_known_categories(crosswalk: LegalCrosswalk) -> None:
    assert {row.category for row in crosswalk.rows} - {None} == set(CATEGORIES)
    assert {row.law for row in crosswalk.rows} == {SEL, BL}


def test_every_barnets_lov_row_says_what_was_verified(crosswalk: LegalCrosswalk) -> None:
    for row in crosswalk.rows:
        if row.law == BL:
            source = row.source.lower()
            assert (
                "verified" in source or "secondary source" in row.source or "law text" in source
            ), row


def test_measure_categories_seed_holds_the_categories_of_spec_4() -> None:
    # CATEGORIES is read from this seed; the seed itself is held to SPEC §4's table here.
    path = lr.default_crosswalk_path().with_name("measure_categories.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["category"] for row in rows] == list(CATEGORIES)
    assert CATEGORIES == (
        "PREVENTIVE_OFFER",
        "INVESTIGATION",
        "HOME_BASED",
        "FAMILY_RESIDENTIAL",
        "RESPITE",
        "PLACEMENT",
        "PARENT_DIRECTED",
        "ORDER",
        "FOLLOW_UP",
        "ACTION_PLAN",
    )
    parents = {row["category"]: row["parent_category"] for row in rows}
    assert parents["FAMILY_RESIDENTIAL"] == parents["RESPITE"] == "HOME_BASED"
    assert all(parents[c] == "" for c in CATEGORIES if c not in ("FAMILY_RESIDENTIAL", "RESPITE"))


HEADER = "law,paragraph,letter,stk,nr,category,source\n"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("law,paragraph,category\nSEL,52,PLACEMENT\n", "columns must be"),
        (HEADER + "XYZ,52,,,,PLACEMENT,s\n", "law must be"),
        (HEADER + "SEL,52,,,,PLACED,s\n", "unknown category"),
        (HEADER + "SEL,52,A,,,PLACEMENT,s\n", "letter"),
        (HEADER + "SEL,52,,3,x,PLACEMENT,s\n", "whole numbers"),
        (HEADER + "SEL,52,,0,,PLACEMENT,s\n", "start at 1"),
        (HEADER + "SEL,52,,,,PLACEMENT,\n", "source is empty"),
        (HEADER + "SEL,58,,,,PLACEMENT,a\nSEL,58,,,,ORDER,b\n", "more than one row"),
    ],
)
def test_malformed_seed_is_refused(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "legal_crosswalk.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CrosswalkError, match=problem):
        LegalCrosswalk.from_seed(path)


def test_a_municipality_can_extend_the_crosswalk_without_code(tmp_path: Path) -> None:
    path = tmp_path / "legal_crosswalk.csv"
    path.write_text(HEADER + "BL,23,,,,INVESTIGATION,local extension\n", encoding="utf-8")
    assert category(LegalCrosswalk.from_seed(path), "BL § 23") == "INVESTIGATION"


def test_equal_specificity_with_different_categories_is_ambiguous(tmp_path: Path) -> None:
    path = tmp_path / "legal_crosswalk.csv"
    path.write_text(HEADER + "BL,32,,1,,HOME_BASED,a\nBL,32,,,6,RESPITE,b\n", encoding="utf-8")
    outcome = LegalCrosswalk.from_seed(path).classify(parse_legal_reference("BL § 32 stk 1 nr 6"))
    assert outcome.category is None
    assert "disagree" in (outcome.reason or "")


# --- properties ------------------------------------------------------------------------------

_REFERENCE_CHARACTERS = st.sampled_from(list("§0123456789 .,-stknrabjfSELBL\u00a0;/()"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(_REFERENCE_CHARACTERS, max_size=30)))
def test_parser_fails_only_with_legal_reference_error(text: str) -> None:
    try:
        parsed = parse_legal_reference(text)
    except LegalReferenceError as error:
        assert error.reason
    else:
        assert parsed.paragraph >= 1


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([SEL, BL, None]),
    st.integers(1, 9999),
    st.sampled_from([None, "a", "b"]),
    st.one_of(st.none(), st.integers(1, 99)),
    st.one_of(st.none(), st.integers(1, 99)),
)
def test_printed_reference_parses_back(law, paragraph, letter, stk, nr) -> None:
    reference = LegalReference(law, paragraph, letter, stk, nr)
    assert parse_legal_reference(str(reference)) == reference
