"""Rates within realistic bands, on full-size histories of the three demo municipalities,
and the written files carrying exactly those histories."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from demo import codes, dates, snapshot, stats, world
from demo.profiles import load_profiles
from demo.summary import DeliverySummary, DemoSummary
from tests.demo.demo_helpers import SEED, SMALL, parse_date, read

YEARS = range(2016, 2025)


@pytest.fixture(scope="module")
def full_size() -> dict[int, world.World]:
    profiles = load_profiles()
    return {code: world.simulate(profiles[code], SEED) for code in (101, 330, 860)}


@pytest.fixture(scope="module")
def year_ends(full_size: dict[int, world.World]) -> dict[int, list[stats.DayCounts]]:
    return {
        code: [stats.counts_on(w, dates.day(f"{y}-12-31")) for y in YEARS]
        for code, w in full_size.items()
    }


def test_placed_per_1000_on_31_december_is_realistic(
    year_ends: dict[int, list[stats.DayCounts]],
) -> None:
    for counts in year_ends.values():
        for c in counts:
            assert 6 <= c.per_1000(c.placed) <= 14


def test_home_based_help_reaches_two_to_three_times_as_many(
    year_ends: dict[int, list[stats.DayCounts]],
) -> None:
    for counts in year_ends.values():
        ratio = sum(c.home_based for c in counts) / sum(c.placed for c in counts)
        assert 2 <= ratio <= 3


def test_placement_type_mix_is_like_the_danish_statistics(
    year_ends: dict[int, list[stats.DayCounts]],
) -> None:
    pooled: Counter[int] = Counter()
    for counts in year_ends.values():
        for c in counts:
            pooled.update(c.placed_by_type)
    total = sum(pooled.values())
    share = {t: 100 * pooled[t] / total for t in range(len(codes.PLACEMENT_TYPE_CODES))}
    assert 38 <= share[codes.FOSTER_FAMILY] + share[codes.MUNICIPAL_FOSTER_FAMILY] <= 48
    assert 7 <= share[codes.NETWORK_FOSTER_FAMILY] <= 12
    assert 17 <= share[codes.RESIDENTIAL_INSTITUTION] <= 27
    assert 0.5 <= share[codes.SECURE_INSTITUTION] <= 2.5
    assert 14 <= share[codes.SOCIAL_PEDAGOGICAL_HOME] <= 22
    rest = share[codes.OWN_ROOM] + share[codes.BOARDING_SCHOOL] + share[codes.OTHER_PLACEMENT]
    assert 3 <= rest <= 12


def test_refugees_and_disability_are_a_few_percent(
    year_ends: dict[int, list[stats.DayCounts]],
) -> None:
    for counts in year_ends.values():
        excluded = sum(c.excluded for c in counts)
        counted = sum(c.placed + c.home_based for c in counts)
        assert 0.02 <= excluded / (excluded + counted) <= 0.10


def test_investigations_are_on_time_as_each_municipality_is(
    full_size: dict[int, world.World],
) -> None:
    on_time = {}
    for code, w in full_size.items():
        inv = w.investigations
        decided = inv[
            (inv["decision"] >= dates.day("2018-01-01"))
            & (inv["decision"] < dates.day("2024-01-01"))
        ]
        done = decided["completed"].to_numpy()
        days = done - decided["decision"].to_numpy()
        on_time[code] = float(np.mean((done >= 0) & (days <= 120)))
        assert 0 < np.mean((done >= 0) & (days <= 42)) < on_time[code]
        assert 0.01 < np.mean(done < 0) < 0.06  # some never completed
    assert on_time[101] > 0.7 and on_time[330] < 0.4


def test_placed_children_get_follow_ups_about_twice_a_year(
    full_size: dict[int, world.World],
) -> None:
    w = full_size[101]
    m = w.measures
    day = dates.day("2024-12-31")
    placed = m[(m["category"] == codes.PLACEMENT) & (m["start"] <= day) & (m["end"] >= day)]
    persons = placed["person"].unique()
    mine = m.index[(m["category"] == codes.PLACEMENT) & m["person"].isin(persons)]
    fups = w.follow_ups
    recent = fups[fups["measure_row"].isin(mine) & (fups["day"] > day - 365) & (fups["day"] <= day)]
    assert 1.3 <= len(recent) / len(persons) <= 2.5


def test_measures_file_holds_exactly_the_simulated_history(
    municipal: DemoSummary, newest: list[DeliverySummary]
) -> None:
    """Round trip at test scale: ids and dates of measures.csv against the snapshot."""
    profiles = load_profiles()
    for d in newest:
        w = world.simulate(profiles[d.municipality_code], SEED, SMALL)
        snap = snapshot.take(w, dates.day(d.delivery_date))
        f = read(d, "measures.csv")
        planted = {p.line for p in municipal.bad_rows(d.municipality_code, "measures.csv")}
        rows = [r for line, r in zip(f.lines, f.records(), strict=True) if line not in planted]
        assert len(rows) == len(snap.measures)
        starts = sorted(dates.day(parse_date(r["start_date"], f.info)) for r in rows)
        assert starts == sorted(snap.measures["start"].tolist())
        open_in_file = sum(r["end_date"] == "" for r in rows)
        assert open_in_file == int((snap.measures["end_shown"] < 0).sum())
