"""The closing summary of `noegletal run`: what the run went without and warned about, the
feedback reports and the revisions (SPEC §6, §13)."""

from pipeline.landing.ledger import Landed
from pipeline.run import RunSummary
from pipeline.summary import SHOWN_DELIVERIES, format_summary


def _landed(accepted: list[str], warnings: dict[str, list[str]] | None = None) -> Landed:
    return Landed(
        rows_accepted=1200,
        quarantine_records=3,
        quarantined_by_rule={"cpr_invalid": 2, "date_invalid": 2},
        accepted=accepted,
        warnings=warnings or {},
    )


def test_the_summary_shows_what_the_run_landed():
    text = format_summary(RunSummary(landed=_landed(["101/2024-03-15", "147/2024-03-01"])))
    assert "Rows ingested: 1,200 accepted, 3 quarantine records" in text
    assert "Top quarantine reasons: cpr_invalid 2, date_invalid 2" in text
    assert "Accepted deliveries: 2 (101/2024-03-15, 147/2024-03-01)" in text
    assert "Rows ingested" not in format_summary(RunSummary())  # nothing was ingested


def test_the_summary_names_the_feedback_folder_and_counts_revised_figures():
    summary = RunSummary(
        landed=_landed(["101/2024-03-15"]),
        ingested={
            "landing/deliveries": {
                "feedback_reports": {
                    "101": "/d/feedback/101/2024-03-15/tilbagemelding.html",
                    "147": "/d/feedback/147/2024-03-01/tilbagemelding.html",
                },
            }
        },
        published={"run_id": "r2", "target": "/d/serving", "tables": {}, "revisions": 9},
    )
    text = format_summary(summary)
    assert "Feedback to the municipalities (SPEC §13): 2 report(s) in /d/feedback" in text
    assert "9 revised figures" in text


def test_the_summary_names_missing_inputs_refused_folders_and_delivery_warnings():
    summary = RunSummary(
        landed=_landed(
            ["101/2026-01-08"], {"101": ["expenses.csv holds NUL bytes (\\0) on 1 line(s) ..."]}
        ),
        unavailable={"BU43": "No StatBank snapshot for BU43 ...; not available: the benchmark"},
        warnings=["folder 101/08-01-2026 is not read: its name is not a date as YYYY-MM-DD"],
    )
    text = format_summary(summary)
    assert "WITHOUT BU43: No StatBank snapshot for BU43" in text
    assert "WARNING: folder 101/08-01-2026 is not read" in text
    assert "WARNING 101: expenses.csv holds NUL bytes" in text
    assert text.endswith("Result: OK")  # what the run went without is not a failure


def test_a_national_run_shows_a_bounded_number_of_delivery_warnings():
    many = {f"{code:03d}": ["has no _SUCCESS marker"] for code in range(101, 131)}
    summary = RunSummary(landed=_landed([], many))
    lines = [line for line in format_summary(summary).splitlines() if "WARNING" in line]
    assert len(lines) == SHOWN_DELIVERIES
    assert "... and 20 more delivery warnings (landing.deliveries)" in format_summary(summary)
