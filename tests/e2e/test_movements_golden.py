"""Golden end-to-end test of SPEC §12: the ladder transitions, placement stability (ST1) and the
entry-cohort durations, against numbers worked out by hand below, not from the dbt models.

Two hand-made deliveries (both delivered 2025-01-15) run once through the real Dagster jobs:

- 101 (measures.csv with the Danish header `anbringelsessted_id` for the site column): about
  ten children, each exercising a rule of SPEC §12;
- 330: the 6-MP group of Freireich et al.'s leukaemia trial (Gehan 1965, as tabulated in
  Kleinbaum & Klein, "Survival Analysis", 3rd ed., ch. 2), one week = 30 days, as 21 placement
  episodes that all start on 2020-01-01: the Kaplan-Meier textbook example.

Cut-off date D = 2024-12-31 (default calendar): the 4m comparison date is the previous cut-off
2024-08-31, the 12m comparison date D - 1 year = 2023-12-31, and ST1's window is
(2023-12-31, 2024-12-31] = 2024-01-01..2024-12-31, 366 days (2024 is a leap year). 2024-08-31
is computed too (its indicator 7 compares with 2024-04-30), so the build's data test that holds
the matrix to 7/7.1/7.2/8 runs on two dates.

Municipality 101 (every CPR number synthetic, from tests/delivery_builder.py; sites in
brackets):

    A born 2012-03-10. Move day with overlapping placements: døgninstitution [INST-A]
      2023-06-01..2024-03-15, plejefamilie [PF-1] from 2024-03-15, open. On 2024-03-15 both are
      active; the current placement is the foster family (latest start): 1 move (on 03-14 the
      institution was current). Care days: all 366. Steps: 2023-12-31 INSTITUTION, 2024-08-31
      FOSTER_CARE, 2024-12-31 FOSTER_CARE. Episode 2023-06-01, open: censored at the delivery
      date, 2023-06-01..2025-01-15 = 214 + 366 + 15 = 595 days.
    B born 2010-05-05. Administrative renewal at the same site across the change of law: SEL
      opholdssted [OPH-7] 2023-02-01..2023-12-31, BL § 46 opholdssted [OPH-7] from 2024-01-01.
      No move on 2024-01-01 (same site). Care days 366. INSTITUTION on every date. One episode
      2023-02-01, open: 334 + 366 + 15 = 715 days, censored.
    C born 2011-07-07. Renewal without site ids: plejefamilie 2023-09-01..2023-12-31 (SEL), then
      plejefamilie 2024-01-01..2024-10-31 (BL): same placement type, no move. Home-based from
      2024-11-01. Care days 2024-01-01..2024-10-31 = 305. Steps: FOSTER_CARE, FOSTER_CARE,
      HOME_BASED. Episode 2023-09-01..2024-10-31 ended: 122 + 305 = 427 days.
    D born 2009-01-20. Moves on the window's edges: netværksplejefamilie [N-1]
      2023-06-01..2023-12-31, plejefamilie [PF-2] 2024-01-01..2024-12-30, døgninstitution
      [INST-D] from 2024-12-31. Moves on 2024-01-01 (the window's first day; placed on
      2023-12-31) and on 2024-12-31 (D itself): 2 moves. Care days 366. Steps:
      NETWORK_FOSTER_CARE, FOSTER_CARE, INSTITUTION (move day: latest start). Episode
      2023-06-01, open: 595 days, censored.
    E born 2008-05-15. A move on D - 1 year itself, outside the window: døgninstitution [INST-E]
      2023-03-01..2023-12-30, plejefamilie [PF-3] 2023-12-31..2024-06-30. 0 moves in the window.
      Care days 2024-01-01..2024-06-30 = 182. Steps: FOSTER_CARE (move day), NONE, NONE.
      Episode 2023-03-01..2024-06-30 ended: 306 + 182 = 488 days.
    F born 2006-09-10 (18 on 2024-09-10). A move after the 18th birthday: plejefamilie [PF-4]
      2022-01-01..2024-05-31, plejefamilie [PF-5] 2024-06-01..2024-09-30, eget værelse [ER-1]
      from 2024-10-01. The move on 2024-06-01 (aged 17) counts, the one on 2024-10-01 (aged 18)
      does not: 1 move. Care days: 2024-01-01..2024-09-09 = 253. Not in the matrix on D (18).
      Episode 2022-01-01 runs past the 18th birthday: censored on 2024-09-09, 365 + 365 + 253
      = 983 days.
    G born 2013-02-02. Two episodes in one entry year: døgninstitution [INST-G]
      2024-02-01..2024-03-31 (60 days, ended), 2024-04-01 uncovered, plejefamilie [PF-6]
      2024-04-02..2024-05-31 (60 days, ended). No move on 2024-04-02 (not placed the day
      before). Care days 120. NONE on 2023-12-31 and on D: NONE -> NONE, not counted.
    H born 2015-06-06, unaccompanied refugee: døgninstitution 2024-01-01..2024-05-31, then
      plejefamilie from 2024-06-01 (a move). Counted nowhere.
    I born 2012-12-12. plejefamilie [PF-8] 2023-10-01..2024-06-30, døgninstitution [INST-I]
      from 2024-07-01 (a move), and a disability-flagged home-based measure
      2024-02-01..2024-02-28: inside ST1's window, so I is out of ST1; not active on D, on
      2024-08-31 or on 2023-12-31, so I is in the matrix (FOSTER_CARE -> INSTITUTION in 12m,
      INSTITUTION -> INSTITUTION in 4m), and in the 2023 cohort (not active on 2023-10-01):
      episode open, 92 + 366 + 15 = 473 days, censored.
    J born 2014-04-04. Home-based from 2023-06-01 (open) and plejefamilie [PF-9] from
      2024-10-01: placed a year after home-based help (indicator 8). Care days
      2024-10-01..2024-12-31 = 92, no move (not placed on 09-30). Steps: HOME_BASED,
      HOME_BASED, FOSTER_CARE. Episode 2024-10-01, open: 92 + 15 = 107 days, censored.
    K born 2016-01-01. Granted § 11, stk. 3 offer from 2024-01-15: NONE -> PREVENTIVE_OFFER
      (12m), PREVENTIVE_OFFER -> PREVENTIVE_OFFER (4m).
    L born 2011-11-11. Home-based 2023-01-01..2024-06-30: HOME_BASED -> NONE (12m); NONE -> NONE
      in 4m, not counted.
    M born 2017-03-03. plejefamilie [PF-10] from 2025-01-05: the 2025 cohort (the delivery's
      year, partial), 11 days, censored.

ST1 on D (A, B, C, D, E, F, G, J; H and I excluded): moves 1 + 0 + 0 + 2 + 0 + 1 + 0 + 0 = 4;
care days 366 + 366 + 305 + 366 + 182 + 253 + 120 + 92 = 2050; value 4000 / 2050 = 1.9512...
per 1,000 care days.

Transitions on D, 4m (from 2024-08-31): A FOSTER->FOSTER, B INST->INST, C FOSTER->HOME, D
FOSTER->INST, I INST->INST, J HOME->FOSTER, K PREV->PREV (E, G, L are NONE -> NONE; F is 18).
12m (from 2023-12-31): A INST->FOSTER, B INST->INST, C FOSTER->HOME, D NETWORK->INST, E
FOSTER->NONE, I FOSTER->INST, J HOME->FOSTER, K NONE->PREV, L HOME->NONE. Indicator 7 on D:
base B, I = 2, 7.1 = 7.2 = 0 (the INSTITUTION row of 4m); indicator 8 on D: base J, L = 2,
numerator J = 1 (the HOME_BASED row of 12m).

Durations, 101: 2022: F only (1 episode, 0 ended). 2023: A 595+, B 715+, C 427, D 595+, E 488,
I 473+ (+ = censored): 6 episodes, 2 ended; S(182) = S(365) = 100 % (no end before 427), no
interval; the longest duration is 715 < 730, so S(730) is NULL; at 427, 6 at risk, 1 ends:
5/6; at 488, 4 at risk (473 was censored), 1 ends: 5/6 x 3/4 = 62.5 %, never <= 50 %: no
median. 2024: G 60, G 60, J 107+ (H excluded): 3 episodes, 2 ended; at 60, 3 at risk, 2 end:
S = 1/3, so S(182) is NULL (longest 107 < 182), median 60. 2025: M, 1 episode, partial year.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.delivery_builder import DeliveryBuilder

DELIVERY_DATE = "2025-01-15"
D, D_AUGUST = "2024-12-31", "2024-08-31"
BL_PLACEMENT = "BL § 46"
BL_HOME_BASED = "BL § 32, stk. 1, nr. 3"
INSTITUTION, FOSTER, NETWORK = "døgninstitution", "plejefamilie", "netværksplejefamilie"
HOME = "socialpædagogisk opholdssted"


def _copenhagen() -> DeliveryBuilder:
    b = DeliveryBuilder(site_header="anbringelsessted_id")
    a = b.person("2012-03-10")
    b.placement(a, "2023-06-01", "2024-03-15", placement_type=INSTITUTION, site="INST-A")
    b.measure(a, "2024-03-15", reference=BL_PLACEMENT, placement_type=FOSTER, site="PF-1")
    bb = b.person("2010-05-05")
    b.placement(bb, "2023-02-01", "2023-12-31", placement_type=HOME, site="OPH-7")
    b.measure(bb, "2024-01-01", reference=BL_PLACEMENT, placement_type=HOME, site="OPH-7")
    c = b.person("2011-07-07")
    b.placement(c, "2023-09-01", "2023-12-31", placement_type=FOSTER)
    b.measure(c, "2024-01-01", "2024-10-31", reference=BL_PLACEMENT, placement_type=FOSTER)
    b.measure(c, "2024-11-01", reference=BL_HOME_BASED)
    d = b.person("2009-01-20")
    b.placement(d, "2023-06-01", "2023-12-31", placement_type=NETWORK, site="N-1")
    b.measure(
        d, "2024-01-01", "2024-12-30", reference=BL_PLACEMENT, placement_type=FOSTER, site="PF-2"
    )
    b.measure(d, "2024-12-31", reference=BL_PLACEMENT, placement_type=INSTITUTION, site="INST-D")
    e = b.person("2008-05-15")
    b.placement(e, "2023-03-01", "2023-12-30", placement_type=INSTITUTION, site="INST-E")
    b.placement(e, "2023-12-31", "2024-06-30", placement_type=FOSTER, site="PF-3")
    f = b.person("2006-09-10")
    b.placement(f, "2022-01-01", "2024-05-31", placement_type=FOSTER, site="PF-4")
    b.measure(
        f, "2024-06-01", "2024-09-30", reference=BL_PLACEMENT, placement_type=FOSTER, site="PF-5"
    )
    b.measure(f, "2024-10-01", reference=BL_PLACEMENT, placement_type="eget værelse", site="ER-1")
    g = b.person("2013-02-02")
    b.measure(
        g,
        "2024-02-01",
        "2024-03-31",
        reference=BL_PLACEMENT,
        placement_type=INSTITUTION,
        site="INST-G",
    )
    b.measure(
        g, "2024-04-02", "2024-05-31", reference=BL_PLACEMENT, placement_type=FOSTER, site="PF-6"
    )
    h = b.person("2015-06-06", refugee=True)
    b.measure(h, "2024-01-01", "2024-05-31", reference=BL_PLACEMENT, placement_type=INSTITUTION)
    b.measure(h, "2024-06-01", reference=BL_PLACEMENT, placement_type=FOSTER)
    i = b.person("2012-12-12")
    b.placement(i, "2023-10-01", "2024-06-30", placement_type=FOSTER, site="PF-8")
    b.measure(i, "2024-07-01", reference=BL_PLACEMENT, placement_type=INSTITUTION, site="INST-I")
    b.measure(i, "2024-02-01", "2024-02-28", reference=BL_HOME_BASED, disability=True)
    j = b.person("2014-04-04")
    b.measure(j, "2023-06-01")
    b.measure(j, "2024-10-01", reference=BL_PLACEMENT, placement_type=FOSTER, site="PF-9")
    k = b.person("2016-01-01")
    b.measure(k, "2024-01-15", reference="BL § 30, stk. 1, nr. 1", granted=True)
    ll = b.person("2011-11-11")
    b.measure(ll, "2023-01-01", "2024-06-30")
    m = b.person("2017-03-03")
    b.measure(m, "2025-01-05", reference=BL_PLACEMENT, placement_type=FOSTER, site="PF-10")
    return b


# Freireich et al.'s 6-MP group (Gehan 1965), remission times in weeks; + = censored.
FREIREICH_ENDED = [6, 6, 6, 7, 10, 13, 16, 22, 23]
FREIREICH_CENSORED = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35]
WEEK = 30  # days: S(t) does not depend on the time scale, so the textbook values carry over
START = "2020-01-01"
# Kleinbaum & Klein, table 2 of ch. 2: KM S(t) of the 6-MP group at its end times (weeks).
TEXTBOOK_SURVIVAL = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}


def _slagelse() -> DeliveryBuilder:
    """An ended episode lasts exactly `weeks` x 30 days (both days counted); a censored one is
    an open placement of a person whose 18th birthday falls `weeks` x 30 days after the start:
    censored on the day before, after weeks x 30 days."""
    b = DeliveryBuilder()
    start = pd.Timestamp(START)
    for weeks in FREIREICH_ENDED:
        cpr = b.person("2010-06-15")
        end = start + pd.Timedelta(days=weeks * WEEK - 1)
        b.placement(cpr, START, f"{end:%Y-%m-%d}", placement_type=FOSTER)
    for weeks in FREIREICH_CENSORED:
        birthday = start + pd.Timedelta(days=weeks * WEEK)
        cpr = b.person(f"{birthday.year - 18}-{birthday:%m-%d}")
        b.placement(cpr, START, placement_type=FOSTER)
    return b


@pytest.fixture(scope="module")
def golden(module_harness):
    module_harness.delivery("101", DELIVERY_DATE, _copenhagen().files())
    module_harness.delivery("330", DELIVERY_DATE, _slagelse().files())
    module_harness.population(
        {(code, q): 10_000 for code in ("101", "330") for q in ("2024K3", "2025K1")}
    )
    summary = module_harness.run(cutoffs=[D_AUGUST, D])
    assert summary.ok, summary
    return module_harness


def test_the_site_column_is_read_under_its_danish_alias(golden):
    sites = golden.query(
        "select count(placement_site_id) as n from staging.stg_landing__measures "
        "where municipality_code = '101'"
    )
    # A 2, B 2, D 3, E 2, F 3, G 2, I 2, J 1, M 1 placements carry a site id.
    assert sites["n"].item() == 18
    placements = golden.query(
        "select count(*) as n from intermediate.int_measures_classified "
        "where municipality_code = '101' and is_placement"
    )
    # ... and C 2, H 2 placements have none: 22 in all.
    assert placements["n"].item() == 22
    quarantined = golden.query("select count(*) as n from landing.quarantine")
    assert quarantined["n"].item() == 0


def test_st1_moves_care_days_and_rate(golden):
    row = golden.query(
        "select * from marts.indicator_values "
        "where municipality_code = '101' and cutoff_date = ? and indicator_id = 'ST1'",
        [D],
    ).iloc[0]
    assert (row["numerator"], row["denominator"]) == (4, 2050)
    assert row["value"] == pytest.approx(4000 / 2050)
    assert (row["unit"], row["status"]) == ("per_1000_care_days", "ok")


def test_st1_is_published_with_an_exact_poisson_interval_or_suppressed(golden):
    row = golden.query(
        "select * from publication.indicator_values "
        "where municipality_code = '101' and cutoff_date = ? and indicator_id = 'ST1'",
        [D],
    ).iloc[0]
    # 4 moves is a count from 1 to 4: the rule for rates hides it (threshold 5).
    assert bool(row["suppressed"]) and pd.isna(row["numerator"]) and pd.isna(row["value"])
    slagelse = golden.query(
        "select * from publication.indicator_values "
        "where municipality_code = '330' and cutoff_date = ? and indicator_id = 'ST1'",
        [D_AUGUST],
    ).iloc[0]
    # 330 on 2024-08-31: window 2023-09-01..2024-08-31; placed and under 18 there: the open
    # placements of the censored children whose 18th birthday is after 2023-08-31: weeks 32,
    # 32, 34, 35 -> birthdays 2022-08-18 (+960 d), 2022-08-18, 2022-09-17, 2022-10-17, all
    # before the window: no care days at all -> NULL value, published (0 moves is not small).
    assert (slagelse["numerator"], slagelse["denominator"]) == (0, 0)
    assert pd.isna(slagelse["value"]) and not bool(slagelse["suppressed"])


def _matrix(harness, interval: str) -> dict[tuple[str, str], int]:
    rows = harness.query(
        "select from_step, to_step, persons from marts.ladder_transitions "
        "where municipality_code = '101' and cutoff_date = ? and transition_interval = ?",
        [D, interval],
    )
    return {(r.from_step, r.to_step): int(r.persons) for r in rows.itertuples()}


STEPS = [
    "NONE",
    "PREVENTIVE_OFFER",
    "HOME_BASED",
    "NETWORK_FOSTER_CARE",
    "FOSTER_CARE",
    "OTHER_PLACEMENT",
    "INSTITUTION",
]

EXPECTED_CELLS = {
    "4m": {
        ("FOSTER_CARE", "FOSTER_CARE"): 1,  # A
        ("INSTITUTION", "INSTITUTION"): 2,  # B, I
        ("FOSTER_CARE", "HOME_BASED"): 1,  # C
        ("FOSTER_CARE", "INSTITUTION"): 1,  # D
        ("HOME_BASED", "FOSTER_CARE"): 1,  # J
        ("PREVENTIVE_OFFER", "PREVENTIVE_OFFER"): 1,  # K
    },
    "12m": {
        ("INSTITUTION", "FOSTER_CARE"): 1,  # A
        ("INSTITUTION", "INSTITUTION"): 1,  # B
        ("FOSTER_CARE", "HOME_BASED"): 1,  # C
        ("NETWORK_FOSTER_CARE", "INSTITUTION"): 1,  # D
        ("FOSTER_CARE", "NONE"): 1,  # E
        ("FOSTER_CARE", "INSTITUTION"): 1,  # I
        ("HOME_BASED", "FOSTER_CARE"): 1,  # J
        ("NONE", "PREVENTIVE_OFFER"): 1,  # K
        ("HOME_BASED", "NONE"): 1,  # L
    },
}


@pytest.mark.parametrize("interval", ["4m", "12m"])
def test_every_cell_and_total_of_the_matrix(golden, interval):
    matrix = _matrix(golden, interval)
    cells = EXPECTED_CELLS[interval]
    assert len(matrix) == 64  # 49 cells, 7 row totals, 7 column totals, the grand total
    for source in STEPS:
        for target in STEPS:
            assert matrix[(source, target)] == cells.get((source, target), 0), (source, target)
    for step in STEPS:
        row_total = sum(n for (s, _), n in cells.items() if s == step)
        column_total = sum(n for (_, t), n in cells.items() if t == step)
        assert matrix[(step, "ALL")] == row_total, step
        assert matrix[("ALL", step)] == column_total, step
    assert matrix[("ALL", "ALL")] == sum(cells.values())  # 7 (4m), 9 (12m)


def test_the_matrix_gives_indicators_7_and_8(golden):
    values = golden.query(
        "select indicator_id, numerator, denominator from marts.indicator_values "
        "where municipality_code = '101' and cutoff_date = ? and indicator_id in "
        "('7', '7.1', '7.2', '8')",
        [D],
    ).set_index("indicator_id")
    assert values.loc["7", "denominator"] == 2  # B, I
    assert values.loc["7.1", "numerator"] == 0 and values.loc["7.2", "numerator"] == 0
    assert (values.loc["8", "numerator"], values.loc["8", "denominator"]) == (1, 2)  # J of J, L


def test_published_matrix_hides_every_small_cell_and_what_gives_it_away(golden):
    published = golden.query(
        "select from_step, to_step, persons, suppressed from publication.ladder_transitions "
        "where municipality_code = '101' and cutoff_date = ? and transition_interval = '12m'",
        [D],
    )
    # Every non-zero cell and every row and column total is 1 to 4: all hidden. The grand
    # total, 9, stays: the hidden entries of its row (the column totals) and of its column
    # (the row totals) number 5 and add up to 9, which is not small. The zeros stay shown.
    shown = published[~published["suppressed"]]
    assert set(shown["persons"]) == {0, 9}
    assert shown.loc[shown["persons"] == 9, ["from_step", "to_step"]].values.tolist() == [
        ["ALL", "ALL"]
    ]
    assert published.loc[published["suppressed"], "persons"].isna().all()
    nonzero = {key for key, n in EXPECTED_CELLS["12m"].items() if n}
    hidden = {(r.from_step, r.to_step) for r in published.itertuples() if r.suppressed}
    assert nonzero <= hidden


def _durations(harness, municipality: str) -> pd.DataFrame:
    return harness.query(
        "select * from marts.placement_durations where municipality_code = ? order by entry_year",
        [municipality],
    ).set_index("entry_year")


def test_durations_by_entry_year_worked_by_hand(golden):
    rows = _durations(golden, "101")
    assert list(rows.index) == [2022, 2023, 2024, 2025]
    assert rows["episodes"].tolist() == [1, 6, 3, 1]
    assert rows["ended"].tolist() == [0, 2, 2, 0]
    assert rows["is_partial_year"].tolist() == [False, False, False, True]
    y2023 = rows.loc[2023]
    assert y2023["still_in_care_182_pct"] == 100 and y2023["still_in_care_365_pct"] == 100
    assert pd.isna(y2023["still_in_care_182_ci_low"]) and pd.isna(
        y2023["still_in_care_365_ci_high"]
    )
    assert pd.isna(y2023["still_in_care_730_pct"])  # longest observed: 715 days
    assert pd.isna(y2023["median_days"])  # the curve stops at 62.5 %
    curve = golden.query(
        "select duration_days, at_risk, ended, survival from intermediate.int_placement_survival "
        "where municipality_code = '101' and entry_year = 2023 and ended > 0 "
        "order by duration_days"
    )
    assert curve["duration_days"].tolist() == [427, 488]
    assert curve["at_risk"].tolist() == [6, 4]
    assert curve["survival"].tolist() == pytest.approx([5 / 6, 5 / 6 * 3 / 4])
    y2024 = rows.loc[2024]
    assert pd.isna(y2024["still_in_care_182_pct"])  # longest observed: 107 days
    assert y2024["median_days"] == 60  # two of three end after 60 days: S = 1/3


def test_kaplan_meier_reproduces_the_textbook_curve(golden):
    curve = golden.query(
        "select duration_days, survival from intermediate.int_placement_survival "
        "where municipality_code = '330' and entry_year = 2020 and ended > 0 "
        "order by duration_days"
    )
    got = {int(r.duration_days) // WEEK: r.survival for r in curve.itertuples()}
    assert got.keys() == TEXTBOOK_SURVIVAL.keys()
    for weeks, survival in TEXTBOOK_SURVIVAL.items():
        assert round(got[weeks], 3) == survival, weeks


def test_kaplan_meier_shares_intervals_and_median_of_the_textbook_cohort(golden):
    row = _durations(golden, "330").loc[2020]
    assert (row["episodes"], row["ended"]) == (21, 9)
    # 182 days lies after 180 (6 weeks): S = 18/21. Greenwood sum 3 / (21 x 18) = 0.0079365;
    # se = sqrt(0.0079365) / |ln 0.857143| = 0.089087 / 0.154151 = 0.577920; limits
    # 0.857143 ^ exp(+-1.96 x 0.577920) = 0.857143 ^ 3.1042 = 0.6197 and ^ 0.32214 = 0.9516
    # (R survfit with conf.type="log-log" prints 0.620 and 0.952 for the 6-MP group at 6 weeks).
    assert row["still_in_care_182_pct"] == pytest.approx(100 * 18 / 21)
    assert row["still_in_care_182_ci_low"] == pytest.approx(61.97, abs=0.01)
    assert row["still_in_care_182_ci_high"] == pytest.approx(95.16, abs=0.01)
    # 365 days: after 300 (10 weeks): S = 18/21 x 16/17 x 14/15 = 0.752941; Greenwood sum
    # 0.0079365 + 1/(17 x 16) + 1/(15 x 14) = 0.0163749 -> (50.32, 88.94).
    assert row["still_in_care_365_pct"] == pytest.approx(75.2941, abs=1e-3)
    assert row["still_in_care_365_ci_low"] == pytest.approx(50.32, abs=0.01)
    assert row["still_in_care_365_ci_high"] == pytest.approx(88.94, abs=0.01)
    # 730 days: after the last end, 690 (23 weeks): S = 0.448179, Greenwood sum 0.0901844
    # -> (18.81, 68.01).
    assert row["still_in_care_730_pct"] == pytest.approx(44.8179, abs=1e-3)
    assert row["still_in_care_730_ci_low"] == pytest.approx(18.81, abs=0.01)
    assert row["still_in_care_730_ci_high"] == pytest.approx(68.01, abs=0.01)
    # Median: S(22 weeks) = 0.538 > 0.5, S(23 weeks) = 0.448 <= 0.5 -> 23 x 30 = 690 days.
    assert row["median_days"] == 690


def test_published_durations_hide_small_cohorts_and_keep_large_ones(golden):
    published = golden.query(
        "select * from publication.placement_durations order by municipality_code, entry_year"
    ).set_index(["municipality_code", "entry_year"])
    for year in (2022, 2024, 2025):  # 1, 3 and 1 episodes
        row = published.loc[("101", year)]
        assert bool(row["suppressed"]) and pd.isna(row["episodes"]) and pd.isna(row["median_days"])
    y2023 = published.loc[("101", 2023)]  # 6 episodes, 2 ended (small), 4 censored (small)
    assert not bool(y2023["suppressed"]) and y2023["episodes"] == 6
    assert bool(y2023["ended_suppressed"]) and pd.isna(y2023["ended"])
    assert y2023["still_in_care_365_pct"] == 100
    textbook = published.loc[("330", 2020)]  # 21 episodes, 9 ended, 12 censored
    assert (textbook["episodes"], textbook["ended"]) == (21, 9)
    assert math.isclose(textbook["median_days"], 690)


def test_the_report_has_a_movement_page_per_municipality(golden):
    report = golden.data_dir / "serving" / "report"
    for code in ("101", "330"):
        page = (report / f"bevaegelser_{code}.html").read_text(encoding="utf-8")
        assert 'id="flow-4m"' in page and 'id="flow-12m"' in page
    # 101's cohorts are all small but 2023's (6 episodes): one curve; 330's textbook cohort too.
    assert 'id="durations"' in (report / "bevaegelser_330.html").read_text(encoding="utf-8")


def test_a_scoped_run_remakes_its_matrices_and_a_new_threshold_remakes_all(golden, monkeypatch):
    """published_ladder_transitions is incremental: a run remakes the matrices of its scope,
    and, when the threshold changed, every matrix made under the old one."""
    sql = (
        "select * from publication.ladder_transitions "
        "order by municipality_code, cutoff_date, transition_interval, from_step, to_step"
    )
    before = golden.query(sql)
    assert set(before["suppression_threshold"]) == {5}
    # Threshold 3, a run of 101 only: 330's matrices are made again too, under 3.
    monkeypatch.setenv("NOEGLETAL_SUPPRESSION_THRESHOLD", "3")
    assert golden.run(municipalities=["101"], cutoffs=[D_AUGUST, D]).ok
    at_3 = golden.query(sql)
    assert len(at_3) == len(before)  # 2 municipalities x 2 dates x 2 intervals x 64
    assert set(at_3["suppression_threshold"]) == {3}
    assert not at_3.loc[~at_3["suppressed"], "persons"].isin([1, 2]).any()
    # Back to 5, a run of 330 only: 101's matrices follow, and everything is as before.
    monkeypatch.setenv("NOEGLETAL_SUPPRESSION_THRESHOLD", "5")
    assert golden.run(municipalities=["330"], cutoffs=[D_AUGUST, D]).ok
    pd.testing.assert_frame_equal(golden.query(sql), before)
