"""The scope of a run: typed run configuration naming municipalities of the seed and dates of
the cut-off calendar, the same for the command line, the sensors and the schedule."""

import pytest

from pipeline.cutoffs import cutoff_dates
from pipeline.scope import (
    BUILD_OP,
    INGEST_OP,
    BuildScope,
    build_cutoffs,
    build_run_config,
    build_scope,
    checked_municipalities,
    ingest_run_config,
    known_municipalities,
    scope_label,
)

CALENDAR = [d.isoformat() for d in cutoff_dates()]


def test_the_municipalities_are_the_98_of_the_seed():
    codes = known_municipalities()
    assert len(codes) == 98
    assert {"101", "147", "330", "860"} <= set(codes)
    assert "411" not in codes  # Christiansø is not a municipality


def test_a_build_names_its_dates_in_calendar_order_and_every_date_is_no_date():
    scope = build_scope(["330", "101"], ["2024-04-30", "2023-12-31"])
    assert scope == BuildScope(
        municipalities=["101", "330"], cutoff_dates=["2023-12-31", "2024-04-30"]
    )
    assert build_cutoffs(scope.cutoff_dates) == ["2023-12-31", "2024-04-30"]
    assert build_scope().cutoff_dates == []
    assert build_scope([], CALENDAR).cutoff_dates == []
    assert build_cutoffs([]) == CALENDAR


def test_the_run_config_addresses_the_assets_that_take_the_scope():
    scope = build_scope(["101"], ["2023-12-31"])
    assert build_run_config(scope) == {
        "ops": {BUILD_OP: {"config": {"municipalities": ["101"], "cutoff_dates": ["2023-12-31"]}}}
    }
    assert ingest_run_config(["330", "101"]) == {
        "ops": {INGEST_OP: {"config": {"municipalities": ["101", "330"]}}}
    }


def test_a_partial_build_says_so():
    assert scope_label(build_scope()) == "full"
    assert scope_label(build_scope(["101", "330"])) == (
        "partial: 2 municipalities x all cut-off dates"
    )
    assert scope_label(build_scope([], ["2023-12-31"])) == (
        "partial: all municipalities x 1 cut-off dates"
    )


def test_an_unknown_code_or_date_stops_the_run_with_the_reference_named():
    with pytest.raises(ValueError, match=r"2024-05-01 is not a cut-off date .*2009-12-31"):
        build_scope([], ["2024-04-30", "2024-05-01"])
    with pytest.raises(ValueError, match=r"999 is not a municipality code .*municipalities.csv"):
        checked_municipalities(["101", "999"])
    with pytest.raises(ValueError, match="not a municipality code"):
        ingest_run_config(["x"])
