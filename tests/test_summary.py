"""The closing summary names the feedback reports and the revisions (SPEC §13)."""

from pipeline.run import RunSummary
from pipeline.summary import format_summary


def test_the_summary_names_the_feedback_folder_and_counts_revised_figures():
    summary = RunSummary(
        ingested={
            "landing/deliveries": {
                "accepted": ["101/2024-03-15"],
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
