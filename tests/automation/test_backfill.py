"""A backfill of N cut-off dates is one build run (one `dbt build`) and gives exactly the rows
of N single-date runs; rerunning it changes nothing."""

import dagster as dg
import pandas as pd
import pytest

DATES = ["2023-12-31", "2024-04-30", "2024-08-31"]
CHILDREN = "cpr;unaccompanied_refugee\n010112-4001;0\n020213-4002;0\n030314-4003;1\n"
MEASURES = (
    "measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;"
    "disability;authority_granted;provider\n"
    "1;010112-4001;SEL § 52, stk. 3, nr. 7;døgninstitution;2022-03-01;2024-05-31;PLANNED;0;1;"
    "EXTERNAL\n"
    "2;010112-4001;BL § 46;plejefamilie;2024-06-01;;;0;1;EXTERNAL\n"
    "3;020213-4002;SEL § 52, stk. 3, nr. 2;;2023-01-01;;;0;1;INTERNAL\n"
    "4;030314-4003;BL § 32, stk. 1, nr. 1;;2024-01-01;;;0;1;INTERNAL\n"
    "5;020213-4002;BL § 30;;2024-02-01;;;0;1;GENERAL\n"
)
FILES = {
    "children": CHILDREN,
    "measures": MEASURES,
    "investigations": "investigation_id;cpr;legal_reference;decision_date;completed_date\n"
    "I1;020213-4002;BL § 20;2024-03-01;2024-06-15\n",
    "follow_ups": "follow_up_id;measure_id;completed_date\nF1;1;2023-06-01\nF2;3;2024-02-01\n",
}
POPULATION = {("101", q): 500 for q in ("2024K1", "2024K2", "2024K3")}
QUERY = (
    "select * exclude (delivery_date) from marts.indicator_values "
    "where cutoff_date in ('2023-12-31', '2024-04-30', '2024-08-31') "
    "and indicator_id in (select indicator_id from reference.indicators where family = 'national') "
    "order by cutoff_date, indicator_id"
)


def _build_runs():
    with dg.DagsterInstance.get() as instance:
        return len(instance.get_run_records(dg.RunsFilter(job_name="build_indicators")))


@pytest.mark.slow
def test_backfill_gives_the_rows_of_single_runs(harness):
    harness.delivery("101", "2025-01-15", FILES)
    harness.population(POPULATION)
    assert harness.run(cutoffs=DATES).ok
    assert _build_runs() == 1  # three cut-off dates (the run tag): one run, one dbt build
    rows_backfill = harness.query(QUERY)
    assert len(rows_backfill) == 3 * 27
    assert (rows_backfill["status"] == "ok").sum() > 0

    # Each single-date run deletes and rewrites its own rows: if a date computed alone gave
    # anything else (another previous cut-off, another window), the rows would differ.
    for date in DATES:
        assert harness.run(cutoffs=[date]).ok
    assert _build_runs() == 4
    pd.testing.assert_frame_equal(harness.query(QUERY), rows_backfill)
