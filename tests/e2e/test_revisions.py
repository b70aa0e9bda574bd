"""Revisions (SPEC §13), end to end: two deliveries of one municipality where the second
back-dates a placement, then the same delivery again.

Threshold 1 switches small-cell suppression off without making an audit copy (no count is
1 .. 0), so the figures below are worked out by hand from two children:

- A, born 2015-01-01, placed in a døgninstitution (SEL § 52, stk. 3, nr. 7). Delivery
  2024-01-15 has the placement start on 2024-01-05, after the cut-off date D = 2023-12-31;
  delivery 2024-03-15 back-dates the start to 2023-12-01, so A is placed on D.
- C, born 2012-05-05, a home-based measure (SEL § 52, stk. 3, nr. 3) since 2023-01-01, with
  one follow-up completed on 2022-12-31: outside (D - 1 year, D], so it counts in no figure
  below, but follow_ups.csv is not empty (a core file with no row makes indicators 12 and
  G11b/c not available, issue 14).

FOLK1A gives 1000 residents aged 0-17 for 2024K1 (the quarter of D = 2023-12-31).

What the back-dating changes on D, and nothing else:
- 1 (placed in an institution per 1000): 0 of 1000 -> 1 of 1000, value 0 -> 1.
- 1.1, 1.2, 1.3 (shares of the institution-placed by institution type): base 0 -> 1; A is in a
  døgninstitution (1.1): 0/0 (NULL) -> 1/1 = 100 %, 1.2 and 1.3 0/0 (NULL) -> 0/1 = 0 %.
- 2 and 2.1 (average days in the current placement on D): 0/0 (NULL) -> 31 days/1 person
  (2023-12-01 .. 2023-12-31, both counted) = 31.
- 12 (follow-ups per person over home-based measures and placements active on D): 0 per 1
  person (C) -> 0 per 2 persons; the value stays 0, the denominator changes.
- 12.1 (the same, institution placements): 0/0 (NULL) -> 0/1 = 0.
- G1 (persons 0-17 with a home-based measure or placement on D, per 1000): 1 -> 2.
- ST1 (moves per 1000 care days over (D - 1 year, D], SPEC §12): A has no care day in the
  window -> 31 care days (2023-12-01 .. 2023-12-31) and no move: 0/0 (NULL) -> 0/31 = 0.
Unchanged, because A's placement is not in their window: 7 (looks at 2023-08-31), 8 and 9
(2022-12-31), G11b (measures started 2022-09-30 .. 2023-09-30), G11c (started more than 6
months before D), 12.3 and S4 (home-based only: C), 5.x (not placements).

The first delivery is 15 days after D (provisional), the second 75 (final): the provisional
flag changes on every row, but it is not part of a published figure's version (SPEC §13
compares value, numerator, denominator, suppression and status).
"""

from __future__ import annotations

import json

import duckdb
import openpyxl
import pandas as pd
import pytest

from pipeline.publish.excel import HEADER_ROW, SHEET_INDICATORS
from pipeline.summary import format_summary
from tests.delivery_builder import DeliveryBuilder
from tests.harness import PipelineHarness

pytestmark = pytest.mark.slow

CUTOFF = "2023-12-31"
NAN = float("nan")
# indicator: (previous numerator, denominator, value), (numerator, denominator, value)
EXPECTED = {
    "1": ((0, 1000, 0), (1, 1000, 1)),
    "1.1": ((0, 0, NAN), (1, 1, 100)),
    "1.2": ((0, 0, NAN), (0, 1, 0)),
    "1.3": ((0, 0, NAN), (0, 1, 0)),
    "2": ((0, 0, NAN), (31, 1, 31)),
    "2.1": ((0, 0, NAN), (31, 1, 31)),
    "12": ((0, 1, 0), (0, 2, 0)),
    "12.1": ((0, 0, NAN), (0, 1, 0)),
    "G1": ((1, 1000, 1), (2, 1000, 2)),
    "ST1": ((0, 0, NAN), (0, 31, 0)),
}


def delivery(placement_start: str) -> dict[str, str]:
    builder = DeliveryBuilder()
    a = builder.person("2015-01-01")
    builder.placement(a, placement_start)
    c = builder.person("2012-05-05")
    builder.follow_up(builder.measure(c, "2023-01-01"), "2022-12-31")
    return builder.files()


def revisions(harness: PipelineHarness) -> pd.DataFrame:
    path = str(harness.data_dir / "serving" / "parquet" / "indicator_revisions.parquet")
    with duckdb.connect() as conn:
        return conn.execute(
            "select * from read_parquet(?) order by indicator_id, revision", [path]
        ).df()


def workbook_notes(harness: PipelineHarness) -> dict[str, str | None]:
    """Indicator id -> the note column of the published workbook of 101 on D."""
    path = harness.data_dir / "serving" / "excel" / f"noegletal_101_{CUTOFF}.xlsx"
    sheet = openpyxl.load_workbook(path, read_only=True)[SHEET_INDICATORS]
    rows = sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    return {str(row[0]): row[6] for row in rows if row[0] is not None}


@pytest.fixture(scope="module")
def runs(module_harness: PipelineHarness) -> dict[str, object]:
    harness = module_harness
    harness.population({("101", "2024K1"): 1000})
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("NOEGLETAL_SUPPRESSION_THRESHOLD", "1")
        harness.delivery("101", "2024-01-15", delivery("2024-01-05"))
        first = harness.run(cutoffs=[CUTOFF])
        assert first.ok, format_summary(first)
        first_history = harness.query("select * from history.indicator_value_versions")
        first_provisional = harness.query("select provisional from publication.indicator_values")
        first_notes = workbook_notes(harness)
        first_goals = harness.query("select provisional from publication.goal_attainment")
        harness.delivery("101", "2024-03-15", delivery("2023-12-01"))
        second = harness.run(cutoffs=[CUTOFF])
        assert second.ok, format_summary(second)
        second_revisions = revisions(harness)
        second_history = len(harness.query("select * from history.indicator_value_versions"))
        rerun = harness.run(cutoffs=[CUTOFF])
        assert rerun.ok, format_summary(rerun)
    return {
        "first": first.published,
        "first_history": first_history,
        "first_provisional": first_provisional,
        "second": second.published,
        "second_revisions": second_revisions,
        "second_history": second_history,
        "first_notes": first_notes,
        "first_goals": first_goals,
        "goals": harness.query("select provisional from publication.goal_attainment"),
        "second_notes": workbook_notes(harness),
        "page": (harness.data_dir / "serving" / "report" / "noegletal_101.html").read_text(),
        "rerun": rerun.published,
        "rerun_revisions": revisions(harness),
        "rerun_history": len(harness.query("select * from history.indicator_value_versions")),
        "published": harness.query("select * from publication.indicator_values"),
        "ingested": second.ingested["landing/deliveries"],
        "feedback": {
            day: json.loads(
                (harness.data_dir / "feedback" / "101" / day / "tilbagemelding.json").read_text()
            )
            for day in ("2024-01-15", "2024-03-15")
        },
    }


def test_the_first_publication_makes_version_1_of_every_figure_and_no_revision(runs):
    history = runs["first_history"]
    figures = len(runs["published"])
    assert figures >= 40  # the 27 key indicators and the goal indicators, on one date
    assert runs["first"]["new_figures"] == figures == len(history)
    assert runs["first"]["revisions"] == 0
    assert (history["version"] == 1).all() and history["valid_to_run"].isna().all()
    assert (history["valid_from_run"] == runs["first"]["run_id"]).all()
    assert runs["first_provisional"]["provisional"].all()  # 15 days after D


def test_a_back_dated_placement_revises_exactly_the_figures_worked_out_by_hand(runs):
    found = runs["second_revisions"]
    assert runs["second"]["revisions"] == len(EXPECTED)
    assert sorted(found["indicator_id"]) == sorted(EXPECTED)
    for row in found.to_dict("records"):
        before, after = EXPECTED[row["indicator_id"]]
        got_before = (row["previous_numerator"], row["previous_denominator"], row["previous_value"])
        got_after = (row["numerator"], row["denominator"], row["value"])
        assert got_before == pytest.approx(before, nan_ok=True), row["indicator_id"]
        assert got_after == pytest.approx(after, nan_ok=True), row["indicator_id"]
        assert row["first_value"] == pytest.approx(before[2], nan_ok=True)
    assert (found["revision"] == 2).all() and (found["change"] == "revised").all()
    assert (found["cause"] == "new_delivery").all()
    assert (found["previous_run_id"] == runs["first"]["run_id"]).all()
    assert (found["run_id"] == runs["second"]["run_id"]).all()
    assert (found["first_run_id"] == runs["first"]["run_id"]).all()
    assert (found["previous_delivery_date"] == pd.Timestamp("2024-01-15")).all()
    assert (found["delivery_date"] == pd.Timestamp("2024-03-15")).all()
    assert (found["cutoff_date"] == pd.Timestamp(CUTOFF)).all()
    assert runs["second_history"] == len(runs["first_history"]) + len(EXPECTED)
    assert runs["second"]["revised_municipalities"] == ["101"]
    # 75 days after D: final now, and that alone made no version.
    assert not runs["published"]["provisional"].any()


def test_a_rerun_of_the_same_delivery_revises_nothing_and_adds_no_history(runs):
    assert runs["rerun"]["revisions"] == 0
    assert runs["rerun"]["new_figures"] == 0
    assert runs["rerun_history"] == runs["second_history"]
    # The revisions published before are still published, unchanged.
    pd.testing.assert_frame_equal(runs["rerun_revisions"], runs["second_revisions"])


def test_the_feedback_report_lists_the_municipalitys_own_revisions(runs):
    assert runs["feedback"]["2024-01-15"]["revisions"] == []  # its first publication
    revised = runs["feedback"]["2024-03-15"]["revisions"]
    assert sorted(r["indicator_id"] for r in revised) == sorted(EXPECTED)
    g1 = next(r for r in revised if r["indicator_id"] == "G1")
    assert (g1["previous_value"], g1["value"], g1["cause"]) == (1, 2, "new_delivery")
    # The ingestion run shows the verdict and where the report is, in the Dagster UI.
    assert runs["ingested"]["verdicts"] == {"101/2024-03-15": "accepted"}
    assert runs["ingested"]["feedback_report"].endswith(
        "feedback/101/2024-03-15/tilbagemelding.html"
    )


def test_the_workbook_marks_provisional_figures_and_the_report_revised_ones(runs):
    # 15 days after D every figure is provisional; 75 days after, none is.
    assert runs["first_notes"]["1"] == "Foreløbig"
    assert runs["first_notes"]["11"].startswith("Foreløbig. Ikke tilgængelig")
    assert not any("Foreløbig" in (note or "") for note in runs["second_notes"].values())
    # Goal attainment follows its figures (Copenhagen's goals, on the same cut-off date).
    assert len(runs["first_goals"]) > 0 and runs["first_goals"]["provisional"].all()
    assert not runs["goals"]["provisional"].any()
    # The page lists the revised date under the chart of each revised indicator.
    assert (
        runs["page"].count("Revideret på: 31-12-2023.")
        == len([i for i in EXPECTED if not i.startswith("G")]) + 1
    )
