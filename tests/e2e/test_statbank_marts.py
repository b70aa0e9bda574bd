"""StatBank marts end to end: a small delivery and synthetic BU43, ANBAAR12 and ANBAAR9
snapshots in the real BULK format go through the real jobs; the marts hold numbers worked out
by hand below.

Municipality 101's delivery, placed on 31 December 2023: p1 (institution), p2 (foster family),
p3 (unaccompanied refugee), p4 (a disability measure) are 0-17 and placed; p5 is 18; p6's
placement ended in June; p7's starts in 2024. Own count 4 (DST's ANBAAR9 counts refugees and
disabled children too), after the key-indicator exclusions 2. One cut-off date keeps the run
short; the other statuses of reconciliation are unit tests in its YAML.
"""

import pandas as pd
import pytest

from pipeline.sources.statbank.snapshots import write_synthetic_snapshot

CHILDREN = """cpr;unaccompanied_refugee
010115-4001;0
010115-4002;0
010115-4003;1
010115-4004;0
010105-4005;0
010115-4006;0
010115-4007;0
"""
MEASURES = """measure_id;cpr;legal_reference;placement_type;start_date;end_date;end_reason;\
disability;authority_granted;provider
1;010115-4001;SEL § 52, stk. 3, nr. 7;døgninstitution;2020-01-01;;;0;1;EXTERNAL
2;010115-4002;SEL § 52, stk. 3, nr. 7;plejefamilie;2022-06-01;;;0;1;EXTERNAL
3;010115-4003;SEL § 52, stk. 3, nr. 7;socialpædagogisk opholdssted;2023-02-01;;;0;1;EXTERNAL
4;010115-4004;SEL § 52, stk. 3, nr. 7;døgninstitution;2021-01-01;;;1;1;EXTERNAL
5;010105-4005;SEL § 52, stk. 3, nr. 7;eget værelse;2022-01-01;;;0;1;EXTERNAL
6;010115-4006;SEL § 52, stk. 3, nr. 7;plejefamilie;2021-01-01;2023-06-30;PLANNED;0;1;EXTERNAL
7;010115-4007;BL § 46;plejefamilie;2024-03-01;;;0;1;EXTERNAL
"""
EMPTY = {
    "investigations": "investigation_id;cpr;legal_reference;decision_date;completed_date\n",
    "follow_ups": "follow_up_id;measure_id;completed_date\n",
}

# BU43, 0-17-year-olds in 2023. 084 is a region (left out by the parser). 825 has a support
# row but no ANBR cell: BULK left out its 0.0. 851's placed share is suppressed.
BU43 = """OMRÅDE;FORANSTALT;ALDER;TID;INDHOLD
000;ANBR;9917;2023;1,0
000;IALT;9917;2023;3,5
000;FORB;9917;2023;2,9
084;ANBR;9917;2023;1,1
101;ANBR;9917;2023;1,2
101;IALT;9917;2023;4,1
101;ANBR;1822;2023;0,6
147;ANBR;9917;2023;0,8
147;IALT;9917;2023;3,0
461;ANBR;9917;2023;1,5
461;IALT;9917;2023;4,4
751;ANBR;9917;2023;1,2
751;IALT;9917;2023;3,9
851;ANBR;9917;2023;..
851;IALT;9917;2023;3,6
825;IALT;9917;2023;2,1
"""
# ANBAAR12 on 31 December 2023. 101: 42 in all; codes 22, 6 and 11 absent (0); secure (8) '..'.
ANBAAR12 = """ADMKOM;ANBRINGELSE;TID;INDHOLD
000;TOT;2023;1000
000;21;2023;300
000;23;2023;100
000;22;2023;50
000;1;2023;90
000;9;2023;150
000;7;2023;20
000;8;2023;30
000;27;2023;150
000;6;2023;60
000;11;2023;20
000;99;2023;30
101;TOT;2023;42
101;21;2023;15
101;23;2023;5
101;1;2023;4
101;9;2023;6
101;7;2023;2
101;8;2023;..
101;27;2023;6
101;99;2023;2
147;TOT;2023;10
147;21;2023;5
147;9;2023;3
147;27;2023;2
"""
# ANBAAR9: 101 had 7 placed 0-17-year-olds on 31 December 2023.
ANBAAR9 = """ADMKOM;ALERAMS;TID;INDHOLD
000;0;2023;11000
000;9917;2023;9000
101;0;2023;9
101;9917;2023;7
101;1822;2023;2
"""


@pytest.fixture(scope="module")
def marts(module_harness):
    harness = module_harness
    harness.delivery("101", "2026-01-08", {"children": CHILDREN, "measures": MEASURES, **EMPTY})
    statbank = harness.landing / "statbank"
    for table, text in (("BU43", BU43), ("ANBAAR12", ANBAAR12), ("ANBAAR9", ANBAAR9)):
        write_synthetic_snapshot(table, statbank, text.encode("utf-8"))
    harness.population({("101", "2024K1"): 180})
    summary = harness.run(cutoffs=["2023-12-31"])
    assert summary.ok, summary
    return harness


def _benchmark(harness, municipality: str) -> dict:
    frame = harness.query(
        "select * from marts.benchmark_placements where municipality_code = ? and year = 2023",
        [municipality],
    )
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


@pytest.mark.slow
def test_benchmark_has_every_municipality_for_each_published_year(marts):
    counts = marts.query(
        "select year, count(*) as n, count(placed_0_17_rank) as ranked "
        "from marts.benchmark_placements group by year"
    )
    # 98 municipalities; ranked: 461, 101, 751, 147 and 825 (0.0); 851 is '..'.
    assert counts.to_dict("records") == [{"year": 2023, "n": 98, "ranked": 5}]


@pytest.mark.slow
def test_benchmark_for_koebenhavn(marts):
    row = _benchmark(marts, "101")
    assert row["municipality_name"] == "København"
    assert row["bu43_status"] == "ok"
    assert row["placed_0_17_pct"] == pytest.approx(1.2)
    assert row["placed_0_17_per_1000"] == pytest.approx(12.0)
    # 461 (1.5) first; 101 and 751 (1.2) share 2nd; 147 4th; 825 (0.0) 5th; 851 not ranked.
    assert (row["placed_0_17_rank"], row["placed_0_17_ranked_of"]) == (2, 5)
    assert (row["supported_0_17_rank"], row["supported_0_17_ranked_of"]) == (2, 6)
    assert row["national_placed_0_17_per_1000"] == pytest.approx(10.0)
    assert row["national_supported_0_17_per_1000"] == pytest.approx(35.0)
    # Peers 147, 461, 751, 851 (seed): (0.8 + 1.5 + 1.2) / 3 x 10; 851 has no figure.
    assert row["peer_placed_0_17_per_1000"] == pytest.approx(11.6667)
    assert (row["peers_configured"], row["peers_with_placed_figure"]) == (4, 3)
    # (3.0 + 4.4 + 3.9 + 3.6) / 4 x 10
    assert row["peer_supported_0_17_per_1000"] == pytest.approx(37.25)
    # Placement mix of 42: foster 15 + 5, network 4, residential 6 + 2, secure '..',
    # social-pedagogical 6, other 2; municipal, own room and boarding school absent = 0.
    assert row["placed_all_ages"] == 42
    assert row["foster_family_share_pct"] == pytest.approx(47.619)
    assert row["municipal_foster_family_share_pct"] == 0
    assert row["network_foster_family_share_pct"] == pytest.approx(9.5238)
    assert row["residential_institution_share_pct"] == pytest.approx(19.0476)
    assert row["social_pedagogical_home_share_pct"] == pytest.approx(14.2857)
    assert row["other_share_pct"] == pytest.approx(4.7619)
    assert row["own_room_share_pct"] == 0
    assert row["boarding_school_share_pct"] == 0
    assert _is_null(row["secure_institution_share_pct"])
    assert _is_null(row["institution_share_pct"])  # one institution type is '..'
    assert row["national_institution_share_pct"] == pytest.approx(35.0)


@pytest.mark.slow
def test_benchmark_missing_values_are_never_zero(marts):
    laeso = _benchmark(marts, "825")  # support row only: the absent placed cell is 0.0
    assert laeso["placed_0_17_pct"] == 0
    assert laeso["placed_0_17_rank"] == 5
    aalborg = _benchmark(marts, "851")  # '..'
    assert _is_null(aalborg["placed_0_17_pct"])
    assert _is_null(aalborg["placed_0_17_rank"])
    assert aalborg["supported_0_17_rank"] == 4
    slagelse = _benchmark(marts, "330")  # no BU43 or ANBAAR12 row
    assert (slagelse["bu43_status"], slagelse["anbaar12_status"]) == ("no_dst_row", "no_dst_row")
    assert _is_null(slagelse["placed_0_17_per_1000"])
    assert _is_null(slagelse["foster_family_share_pct"])
    assert (slagelse["peers_configured"], slagelse["peers_with_placed_figure"]) == (4, 0)
    frederiksberg = _benchmark(marts, "147")  # residential 3 + social-pedagogical 2 of 10
    assert frederiksberg["institution_share_pct"] == pytest.approx(50.0)


@pytest.mark.slow
def test_reconciliation_on_31_december(marts):
    rows = marts.query(
        "select cutoff_date::varchar as cutoff_date, own_placed_0_17, "
        "own_placed_0_17_after_exclusions, dst_placed_0_17, difference, "
        "relative_difference_pct, exceeds_tolerance, status "
        "from marts.reconciliation where municipality_code = '101'"
    ).to_dict("records")
    assert len(rows) == 1
    row = rows[0]
    # 4 own vs 7 DST: -3 persons (more than 2) and -42.9 % (more than 5 %).
    assert row["cutoff_date"] == "2023-12-31"
    assert (row["own_placed_0_17"], row["own_placed_0_17_after_exclusions"]) == (4, 2)
    assert (row["dst_placed_0_17"], row["difference"]) == (7, -3)
    assert row["relative_difference_pct"] == pytest.approx(-42.8571)
    assert bool(row["exceeds_tolerance"]) is True
    assert row["status"] == "ok"


@pytest.mark.slow
def test_population_mart_feeds_the_indicators(marts):
    population = marts.query(
        "select persons_0_17 from marts.population_0_17 "
        "where municipality_code = '101' and quarter = '2024K1'"
    )
    assert population["persons_0_17"].tolist() == [180]
    # Indicator 1 on 31 December 2023: p1 only (p4 is excluded for the disability measure).
    row = marts.query(
        "select numerator, denominator from marts.indicator_values "
        "where indicator_id = '1' and cutoff_date = date '2023-12-31'"
    ).iloc[0]
    assert (row.numerator, row.denominator) == (1, 180)


def _is_null(value: object) -> bool:
    return bool(pd.isna(value))
