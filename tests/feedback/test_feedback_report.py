"""The feedback report to the municipality (SPEC §13), end to end: a clean delivery, then one
with one planted defect of each kind. Every defect must be in the report with its file, line,
column, own id and rule; the cascaded follow-up names the measure's line; the verdict gives
its reason; the changes since the clean delivery come largest first; and nothing in the
folder is a CPR number or a pseudonym."""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pandas as pd
import pytest

from pipeline.settings import DEMO_PSEUDONYM_KEY
from pipeline.sources.cpr import pseudonymise
from tests.harness import PipelineHarness

pytestmark = pytest.mark.slow

CPRS = ["010115-4001", "020215-4002", "030315-4003", "040415-4004", "310215-4005"]
MEASURE_HEADER = (
    "indsats_id;cpr;paragraf;anbringelsessted;startdato;slutdato;ophoersaarsag;"
    "funktionsnedsaettelse;myndighedsbevilget;leverandoer"
)
CLEAN = {
    "children": "cpr;unaccompanied_refugee\n010115-4001;0\n020215-4002;0\n",
    "measures": MEASURE_HEADER + "\n"
    "1;010115-4001;SEL § 52, stk. 3, nr. 7;døgninstitution;2020-01-01;;;0;1;EXTERNAL\n"
    "2;020215-4002;SEL § 52, stk. 3, nr. 3;;2021-01-01;;;0;1;INTERNAL\n"
    "3;020215-4002;SEL § 52, stk. 3, nr. 3;;2022-01-01;;;0;1;INTERNAL\n",
    "investigations": "investigation_id;cpr;legal_reference;decision_date;completed_date\n",
    "follow_ups": "follow_up_id;measure_id;completed_date\n",
}
# The column outside the contract has a header that must never be repeated.
UNKNOWN_HEADER = "hemmelig_ekstra_kolonne"
DEFECTS = {
    "children": "cpr;uledsaget_flygtning\n"
    "010115-4001;0\n"  # 2
    "020215-4002;0\n"  # 3
    "310215-4005;0\n"  # 4 cpr_invalid: 31 February
    "030315-4003;måske\n"  # 5 boolean_invalid
    "040415-4004;0\n"  # 6 duplicate_id
    "040415-4004;0\n",  # 7 duplicate_id
    "measures": MEASURE_HEADER + f";{UNKNOWN_HEADER}\n"
    "1;010115-4001;SEL § 52, stk. 3, nr. 7;døgninstitution;2020-01-01;;;0;1;EXTERNAL;x\n"  # 2
    "2;010115-4001;SEL § 52, stk. 3, nr. 3;;2023-02-01;2023-01-31;;0;1;INTERNAL;x\n"  # 3
    "3;020215-4002;§ 52;;2021-01-01;;;0;1;INTERNAL;x\n"  # 4 legal_reference_unmapped
    "4;020215-4002;SEL § 52, stk. 3, nr. 7;;2021-01-01;;;0;1;INTERNAL;x\n"  # 5 type missing
    "5;020215-4002;SEL § 52, stk. 3, nr. 7;slot;2021-01-01;;;0;1;INTERNAL;x\n"  # 6 unknown
    "6;020215-4002;SEL § 52, stk. 3, nr. 3;;2021-13-01;;;0;1;INTERNAL;x\n"  # 7 date_invalid
    "7;020215-4002;SEL § 52, stk. 3, nr. 3;;2026-06-01;;;0;1;INTERNAL;x\n"  # 8 after delivery
    "8;020215-4002;SEL § 52, stk. 3, nr. 3;;2021-01-01;;måske;0;1;INTERNAL;x\n"  # 9 enum
    "9;020215-4002;SEL § 52, stk. 3, nr. 3;;2021-01-01;;;0;1;INTERNAL;x\n"  # 10 duplicate
    "9;020215-4002;SEL § 52, stk. 3, nr. 3;;2021-01-01;;;0;1;INTERNAL;x\n"  # 11 duplicate
    ";020215-4002;SEL § 52, stk. 3, nr. 3;;2021-01-01;;;0;1;INTERNAL;x\n"  # 12 required
    "10;020215-4002;SEL § 52\n",  # 13 wrong_number_of_fields
    "investigations": "investigation_id;cpr;legal_reference;afgoerelsesdato;completed_date\n"
    "U1;010115-4001;SEL § 50;2023-01-01;2023-03-01\n"  # 2
    "U2;010115-4001;SEL § 52, stk. 3, nr. 3;2023-01-01;\n"  # 3 not_an_investigation
    "U3;010115-4001;SEL § 50;2023-05-01;2023-04-01\n",  # 4 end_before_start
    "follow_ups": "follow_up_id;measure_id;completed_date\n"
    "F1;1;2021-01-01\n"  # 2
    "F2;99;2021-01-01\n"  # 3 measure_missing
    "F3;2;2023-06-01\n",  # 4 its measure (line 3 of measures.csv) is quarantined
    "expenses": "month;account;amount_dkk\n"
    "2023-13;5.28.21;100\n"  # 2 month_invalid
    "2023-01;abc;100\n"  # 3 account_invalid
    "2023-01;5.28.21;tolv\n",  # 4 number_invalid
    "school_absence": "cpr;school_year;municipal_school;absence_pct\n"
    "010115-4001;2022-23;1;5\n",  # 2 school_year_invalid
}
# (file, line, column, rule, the row's own id)
PLANTED = [
    ("children.csv", 4, "cpr", "cpr_invalid", None),
    ("children.csv", 5, "unaccompanied_refugee", "boolean_invalid", None),
    ("children.csv", 6, "cpr", "duplicate_id", None),
    ("children.csv", 7, "cpr", "duplicate_id", None),
    ("expenses.csv", 2, "month", "month_invalid", None),
    ("expenses.csv", 3, "account", "account_invalid", None),
    ("expenses.csv", 4, "amount_dkk", "number_invalid", None),
    ("follow_ups.csv", 3, "measure_id", "measure_missing", "F2"),
    ("follow_ups.csv", 4, "measure_id", "measure_quarantined", "F3"),
    ("investigations.csv", 3, "legal_reference", "not_an_investigation", "U2"),
    ("investigations.csv", 4, "completed_date", "end_before_start", "U3"),
    ("measures.csv", 3, "end_date", "end_before_start", "2"),
    ("measures.csv", 4, "legal_reference", "legal_reference_unmapped", "3"),
    ("measures.csv", 5, "placement_type", "placement_type_missing", "4"),
    ("measures.csv", 6, "placement_type", "placement_type_unknown", "5"),
    ("measures.csv", 7, "start_date", "date_invalid", "6"),
    ("measures.csv", 8, "start_date", "date_after_delivery", "7"),
    ("measures.csv", 9, "end_reason", "value_not_allowed", "8"),
    ("measures.csv", 10, "measure_id", "duplicate_id", "9"),
    ("measures.csv", 11, "measure_id", "duplicate_id", "9"),
    ("measures.csv", 12, "measure_id", "required", None),
    ("measures.csv", 13, None, "wrong_number_of_fields", None),
    ("school_absence.csv", 2, "school_year", "school_year_invalid", None),
]


@pytest.fixture(scope="module")
def reports(module_harness: PipelineHarness):
    harness = module_harness
    harness.population({("101", "2024K1"): 1000, ("101", "2026K1"): 1000})
    harness.delivery("101", "2026-01-01", CLEAN)
    first = harness.run(cutoffs=["2025-12-31"])
    assert first.ok
    harness.delivery("101", "2026-01-08", DEFECTS)
    second = harness.run(cutoffs=["2025-12-31"])
    assert "101" in second.rejected  # measures.csv: 11 of 12 rows quarantined
    # A third delivery without follow_ups.csv: refused before any file is read.
    harness.delivery("101", "2026-01-15", {k: v for k, v in CLEAN.items() if k != "follow_ups"})
    third = harness.run(cutoffs=["2025-12-31"])
    assert "101" in third.rejected
    feedback = harness.data_dir / "feedback" / "101"
    return harness, feedback / "2026-01-01", feedback / "2026-01-08"


def test_a_delivery_without_a_core_file_gets_a_report_saying_so(reports):
    harness = reports[0]
    report = facts(harness.data_dir / "feedback" / "101" / "2026-01-15")
    assert report["accepted"] is False
    assert report["reason_da"].startswith("Leverancen er afvist: den mangler follow_ups.csv.")
    assert report["quarantine"] == [] and report["files"] == []
    assert report["changes"] == {"previous_delivery": "2026-01-01", "rows": [], "read": False}


def facts(folder):
    return json.loads((folder / "tilbagemelding.json").read_text(encoding="utf-8"))


def test_every_planted_defect_is_reported_with_its_file_line_column_rule_and_id(reports):
    _, _, folder = reports
    rows = facts(folder)["quarantine"]
    found = sorted(
        (
            q["file"],
            q["line"],
            q["column"].split(" ")[0] if q["column"] != "rækken" else None,
            q["rule"],
            q["row_id"],
        )
        for q in rows
    )
    assert found == sorted(PLANTED, key=lambda p: (p[0], p[1], p[2] or "", p[3], p[4] or ""))
    by_line = {(q["file"], q["line"]): q for q in rows}
    assert by_line[("measures.csv", 3)]["wrong"] == (
        "Slutdato 2023-01-31 ligger før startdato 2023-02-01"
    )
    assert by_line[("investigations.csv", 4)]["wrong"] == (
        "Afslutningsdato 2023-04-01 ligger før afgoerelsesdato 2023-05-01"
    )
    assert by_line[("measures.csv", 8)]["wrong"] == (
        "Startdato 2026-06-01 ligger efter leverancedatoen 2026-01-08"
    )
    assert by_line[("measures.csv", 9)]["expected"] == "en af: OTHER, PLANNED, UNPLANNED"
    # The follow-up of a quarantined measure names that measure's line; the unknown one not.
    assert by_line[("follow_ups.csv", 4)]["caused_by"] == (
        "indsats 2 i measures.csv, linje 3, er selv sat til side"
    )
    assert by_line[("follow_ups.csv", 3)]["caused_by"] is None


def test_the_verdict_files_and_changes_are_reported(reports):
    _, clean, folder = reports
    report = facts(folder)
    assert report["accepted"] is False
    assert "measures.csv" in report["reason_da"] and "grænsen er 5,0 %" in report["reason_da"]
    files = {f["file"]: f for f in report["files"]}
    assert files["measures.csv"]["rows_read"] == 12
    assert files["measures.csv"]["rows_quarantined"] == 11
    assert files["measures.csv"]["columns_left_out"] == ["kolonne 11"]
    assert "indsats_id → measure_id" in files["measures.csv"]["aliases"]
    assert files["children.csv"]["aliases"] == ["uledsaget_flygtning → unaccompanied_refugee"]
    assert files["children.csv"]["delimiter"] == "semikolon (;)"
    # Compared with the clean delivery: the home-based measures went from 2 to 0 (all
    # quarantined), the largest relative change, so it comes first.
    changes = report["changes"]
    assert changes["previous_delivery"] == "2026-01-01"
    first = changes["rows"][0]
    assert (first["previous"], first["current"]) == (2, 0)
    assert first["label"].startswith("Indsatser: ")
    assert {r["relative"] for r in changes["rows"][1:]} == {0.0}
    assert report["revisions"] is None  # a rejected delivery revises nothing
    # The clean delivery was accepted and published: its report lists no revisions.
    assert facts(clean)["accepted"] is True
    assert facts(clean)["revisions"] == []


def test_the_page_and_workbook_show_the_same_rows(reports):
    _, _, folder = reports
    page = (folder / "tilbagemelding.html").read_text(encoding="utf-8")
    assert "Afvist." in page
    assert "Slutdato 2023-01-31 ligger før startdato 2023-02-01" in page
    book = openpyxl.load_workbook(folder / "tilbagemelding.xlsx", read_only=True)
    assert book.sheetnames == ["Leverance", "Filer", "Karantæne", "Ændringer", "Revisioner"]
    rows = list(book["Karantæne"].iter_rows(min_row=5, values_only=True))
    assert len(rows) == len(PLANTED)
    line_3 = next(row for row in rows if row[:2] == ("measures.csv", 3))
    assert line_3[:3] == ("measures.csv", 3, 2)  # file, line and the row's own id


def test_no_cpr_number_pseudonym_or_unknown_header_is_in_the_feedback(reports):
    harness = reports[0]
    pseudonyms = pseudonymise(pd.Series(CPRS, dtype="string"), DEMO_PSEUDONYM_KEY)
    forbidden = [UNKNOWN_HEADER.encode()]
    for cpr in CPRS:
        digits = cpr.replace("-", "")
        forbidden += [cpr.encode(), digits.encode()]
    forbidden += [str(p).encode() for p in pseudonyms]
    files = [p for p in (harness.data_dir / "feedback").rglob("*") if p.is_file()]
    assert len(files) == 9  # html, xlsx and json of each delivery
    for path in files:
        parts = [path.read_bytes()]
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                parts = [archive.read(name) for name in archive.namelist()]
        for content in parts:
            assert not [f for f in forbidden if f in content], path.name
    assert not (harness.data_dir / "serving" / "feedback").exists()
    # Nor does the warning about the column outside the contract repeat its header.
    warnings = harness.query(
        "select unnest(warnings) as warning from landing.deliveries where delivery_date = ?",
        ["2026-01-08"],
    )["warning"]
    assert "measures.csv has 1 column(s) outside the contract, left out: column 11" in set(warnings)
    assert not warnings.str.contains(UNKNOWN_HEADER).any()
