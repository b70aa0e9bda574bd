"""The scoped dbt asset keeps back its marts' outputs until it has counted their rows, without
breaking Dagster's rule that a multi-asset yields its outputs in topological order."""

import dagster as dg

from pipeline.assets.dbt import SCOPED_MARTS, hold_outputs_from


def test_outputs_after_a_held_one_are_held_too_and_other_events_pass():
    statuses = dg.Output(None, output_name="intermediate__int_person_statuses")
    values = dg.Output(None, output_name="marts__indicator_values")
    check = dg.AssetCheckResult(asset_key=["marts", "indicator_values"], passed=True)
    attainment = dg.Output(None, output_name="marts__goal_attainment")
    held: list[dg.Output] = []
    passed = list(hold_outputs_from([statuses, values, check, attainment], SCOPED_MARTS, held))
    assert passed == [statuses, check]
    assert held == [values, attainment]


def test_both_partitioned_marts_are_counted():
    assert SCOPED_MARTS == {
        "marts__indicator_values": "marts.indicator_values",
        "marts__goal_attainment": "marts.goal_attainment",
    }
