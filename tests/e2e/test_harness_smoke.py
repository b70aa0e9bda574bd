"""The harness runs the real jobs: one placed child gives indicator 1 = 1 x 1000 / 180."""

import pytest

CHILDREN = "cpr;unaccompanied_refugee\n010115-4001;0\n"
MEASURES = (
    "measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;"
    "disability;authority_granted;provider\n"
    "1;010115-4001;SEL § 52, stk. 3, nr. 7;døgninstitution;2020-01-01;;;0;1;EXTERNAL\n"
)
EMPTY = {
    "investigations": "investigation_id;cpr;legal_reference;decision_date;completed_date\n",
    "follow_ups": "follow_up_id;measure_id;completed_date\n",
}


@pytest.mark.slow
def test_one_placed_child_per_180(harness):
    harness.delivery("101", "2026-01-08", {"children": CHILDREN, "measures": MEASURES, **EMPTY})
    harness.population({("101", "2024K1"): 180})
    summary = harness.run(cutoffs=["2023-12-31"])
    assert summary.ok, summary
    row = harness.query(
        "select numerator, denominator, value, status from marts.indicator_values "
        "where indicator_id = '1'"
    ).iloc[0]
    assert (row.numerator, row.denominator, row.status) == (1, 180, "ok")
    assert row.value == pytest.approx(1000 / 180)
