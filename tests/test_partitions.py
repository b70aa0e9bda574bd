"""Partition helpers: a build run covers a range of municipalities and the dates of its tag."""

import pytest

from pipeline.cutoffs import cutoff_dates
from pipeline.partitions import (
    CUTOFF_DATES_TAG,
    build_tags,
    contiguous_runs,
    cutoff_tags,
    run_cutoffs,
)

CALENDAR = [d.isoformat() for d in cutoff_dates()]


def test_contiguous_runs_never_cover_an_unchosen_key():
    order = ["101", "147", "330", "851", "860"]
    assert contiguous_runs(order, {"101", "147", "851"}) == [["101", "147"], ["851"]]
    assert contiguous_runs(order, set()) == []


def test_build_tags_span_the_municipalities_and_name_the_dates_in_calendar_order():
    tags = build_tags(["101", "330"], ["2024-04-30", "2023-12-31"])
    assert tags == {
        "dagster/asset_partition_range_start": "101",
        "dagster/asset_partition_range_end": "330",
        CUTOFF_DATES_TAG: "2023-12-31,2024-04-30",
    }
    assert run_cutoffs(tags) == ["2023-12-31", "2024-04-30"]


def test_every_date_is_no_tag_and_no_tag_is_every_date():
    assert cutoff_tags(CALENDAR) == {}
    assert cutoff_tags(None) == {}
    assert run_cutoffs({}) == CALENDAR
    assert run_cutoffs({CUTOFF_DATES_TAG: " "}) == CALENDAR


def test_a_date_outside_the_calendar_stops_the_run_with_the_calendar_named():
    with pytest.raises(ValueError, match=r"2024-05-01 is not a cut-off date .*2009-12-31"):
        run_cutoffs({CUTOFF_DATES_TAG: "2024-04-30,2024-05-01"})
    with pytest.raises(ValueError, match="at least one cut-off date"):
        cutoff_tags([])
    # A run is never tagged with a date the build would refuse.
    with pytest.raises(ValueError, match=r"2024-05-01 is not a cut-off date"):
        cutoff_tags(["2024-04-30", "2024-05-01"])
