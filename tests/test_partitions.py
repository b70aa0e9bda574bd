"""Partition helpers: a run covers a rectangle of municipalities x cut-off dates."""

import pytest

from pipeline.partitions import contiguous_runs, multi_key, rectangle_tags, split_keys


def test_split_keys_gives_the_two_sides_of_a_rectangle():
    keys = [multi_key(m, c) for m in ("101", "330") for c in ("2024-04-30", "2023-12-31")]
    assert split_keys(keys) == (["101", "330"], ["2023-12-31", "2024-04-30"])


def test_split_keys_reads_serialised_keys_and_refuses_a_non_rectangle():
    assert split_keys(["2024-04-30|101"]) == (["101"], ["2024-04-30"])
    with pytest.raises(ValueError, match="not every combination"):
        split_keys(["2024-04-30|101", "2023-12-31|330"])


def test_contiguous_runs_never_cover_an_unchosen_key():
    order = ["101", "147", "330", "851", "860"]
    assert contiguous_runs(order, {"101", "147", "851"}) == [["101", "147"], ["851"]]
    assert contiguous_runs(order, set()) == []


def test_rectangle_tags_span_first_to_last():
    tags = rectangle_tags(["101", "330"], ["2023-12-31", "2024-04-30"])
    assert tags == {
        "dagster/asset_partition_range_start": "2023-12-31|101",
        "dagster/asset_partition_range_end": "2024-04-30|330",
    }
