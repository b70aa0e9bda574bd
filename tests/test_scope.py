"""The scope of a run: the cut-off calendar, and typed run configuration naming municipalities
of the seed and dates of the calendar, the same for the command line, the sensors and the
schedule."""

import datetime as dt

import pytest

from pipeline.scope import (
    BUILD_OP,
    INGEST_OP,
    BuildScope,
    build_cutoffs,
    build_run_config,
    build_scope,
    calendar_dates,
    checked_municipalities,
    chosen_cutoffs,
    cutoff_dates,
    ingest_run_config,
    known_municipalities,
    scope_label,
)

CALENDAR = [d.isoformat() for d in cutoff_dates()]


def test_the_calendar_is_the_seed_in_date_order_and_a_run_computes_the_dates_up_to_a_day(
    tmp_path,
):
    seed = tmp_path / "cutoff_calendar.csv"
    seed.write_text("cutoff_date,source\n2024-04-30,a\n2023-12-31,b\n2024-08-31,c\n")
    assert calendar_dates(seed) == [
        dt.date(2023, 12, 31),
        dt.date(2024, 4, 30),
        dt.date(2024, 8, 31),
    ]
    assert cutoff_dates(dt.date(2024, 4, 30), seed) == [dt.date(2023, 12, 31), dt.date(2024, 4, 30)]
    assert all(d <= dt.date.today() for d in cutoff_dates())
    assert chosen_cutoffs(["2024-04-30", "2023-12-31"]) == ["2023-12-31", "2024-04-30"]


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
